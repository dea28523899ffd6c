#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct RepeatVectorOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.RepeatVector: (batch, features) -> (batch, n, features).
class RepeatVector : public Layer {
 public:
  STRATA_LAYER(RepeatVector)
  explicit RepeatVector(std::int64_t n, RepeatVectorOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<RepeatVector> from_config(const nlohmann::json& config);

 private:
  std::int64_t n_;
};

}  // namespace strata::layers
