#pragma once
#include <strata/layers/regularization/spatial_dropout.hpp>

namespace strata::layers {

/// keras.layers.SpatialDropout2D: dropout of whole 2D feature maps (channels) in training.
/// Input (batch, spatial..., channels) or, channels_first, (batch, channels, spatial...).
class SpatialDropout2D : public SpatialDropout {
 public:
  STRATA_LAYER(SpatialDropout2D)
  explicit SpatialDropout2D(double rate, SpatialDropoutOptions options = {})
      : SpatialDropout(2, rate, std::move(options)) {
    check_arguments();
  }
  /// Inverse of get_config.
  static std::shared_ptr<SpatialDropout2D> from_config(const nlohmann::json& config) {
    return spatial_from_config<SpatialDropout2D>(config, "SpatialDropout2D");
  }
};

}  // namespace strata::layers
