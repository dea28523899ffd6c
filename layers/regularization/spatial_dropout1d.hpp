#pragma once
#include <strata/layers/regularization/spatial_dropout.hpp>

namespace strata::layers {

/// keras.layers.SpatialDropout1D: dropout of whole 1D feature maps (channels) in training.
/// Input (batch, steps, channels).
class SpatialDropout1D : public SpatialDropout {
 public:
  STRATA_LAYER(SpatialDropout1D)
  explicit SpatialDropout1D(double rate, SpatialDropoutOptions options = {})
      : SpatialDropout(1, rate, std::move(options)) {
    check_arguments();
  }
  /// Inverse of get_config.
  static std::shared_ptr<SpatialDropout1D> from_config(const nlohmann::json& config) {
    return spatial_from_config<SpatialDropout1D>(config, "SpatialDropout1D");
  }
};

}  // namespace strata::layers
