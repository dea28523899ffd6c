#pragma once
#include <strata/api/layer.hpp>
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

struct ConcatenateOptions {
  std::string name;
};

/// keras.layers.Concatenate: joins the inputs along `axis` (negative counts from the end; the batch axis 0
/// too); shapes must match elsewhere.
class Concatenate : public Layer {
 public:
  STRATA_LAYER(Concatenate)
  explicit Concatenate(int axis = -1, ConcatenateOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Concatenate> from_config(const nlohmann::json& config);

 private:
  int axis_;
};

}  // namespace strata::layers
