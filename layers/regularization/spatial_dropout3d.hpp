#pragma once
#include <strata/layers/regularization/spatial_dropout.hpp>

namespace strata::layers {

/// keras.layers.SpatialDropout3D: dropout of whole 3D feature maps (channels) in training.
/// Input (batch, spatial..., channels) or, channels_first, (batch, channels, spatial...).
class SpatialDropout3D : public SpatialDropout {
 public:
  STRATA_LAYER(SpatialDropout3D)
  explicit SpatialDropout3D(double rate, SpatialDropoutOptions options = {})
      : SpatialDropout(3, rate, std::move(options)) {
    check_arguments();
  }
  /// Inverse of get_config.
  static std::shared_ptr<SpatialDropout3D> from_config(const nlohmann::json& config) {
    return spatial_from_config<SpatialDropout3D>(config, "SpatialDropout3D");
  }
};

}  // namespace strata::layers
