#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct ReshapeOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.Reshape: per-sample reshape to `target_shape` (batch excluded); one -1 is inferred.
class Reshape : public Layer {
 public:
  STRATA_LAYER(Reshape)
  explicit Reshape(Shape target_shape, ReshapeOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Reshape> from_config(const nlohmann::json& config);

  const Shape& target_shape() const { return target_shape_; }

 private:
  /// target_shape with its -1 resolved for this input (batch first); ShapeError naming the layer if impossible.
  Shape resolve(const Shape& input_shape) const;
  Shape target_shape_;
};

}  // namespace strata::layers
