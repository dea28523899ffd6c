#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct LayerScaleOptions {
  std::string name;
  Shape input_shape;
};

/// ConvNeXt's LayerScale (keras.src.applications.convnext): x * gamma over the last axis, gamma (projection_dim,)
/// trainable, initialized to `init_values`. Registered under Keras's class name so Keras-saved ConvNeXt models load.
class LayerScale : public Layer {
 public:
  STRATA_LAYER(LayerScale)
  LayerScale(double init_values, std::int64_t projection_dim, LayerScaleOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config; see api/saving/config_reader.hpp.
  static std::shared_ptr<LayerScale> from_config(const nlohmann::json& config);

  Variable* gamma() const { return gamma_; }

 private:
  double init_values_;
  std::int64_t projection_dim_;
  Variable* gamma_ = nullptr;
};

}  // namespace strata::layers
