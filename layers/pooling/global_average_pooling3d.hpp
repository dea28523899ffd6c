#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalAveragePooling3D: the mean over the 3 spatial dims, (batch, spatial..., channels) -> (batch, channels).
class GlobalAveragePooling3D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalAveragePooling3D)
  explicit GlobalAveragePooling3D(GlobalPooling3DOptions options = {})
      : GlobalPooling(3, ReduceKind::mean, std::move(options), "GlobalAveragePooling3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalAveragePooling3D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalAveragePooling3D>(config, "GlobalAveragePooling3D");
  }
};

}  // namespace strata::layers
