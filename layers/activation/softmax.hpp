#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct SoftmaxOptions {
  std::vector<int> axis = {-1};  // one axis, or several normalized together
  std::string name;
  Shape input_shape;
};

/// keras.layers.Softmax: exp(x) / sum(exp(x)) over `axis` (without a mask input).
class Softmax : public Layer {
 public:
  STRATA_LAYER(Softmax)
  explicit Softmax(SoftmaxOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Softmax> from_config(const nlohmann::json& config);

 private:
  SoftmaxOptions options_;
  bool axis_was_list_ = false;
};

}  // namespace strata::layers
