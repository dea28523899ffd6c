#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalMaxPooling3D: the maximum over the 3 spatial dims, (batch, spatial..., channels) -> (batch, channels).
class GlobalMaxPooling3D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalMaxPooling3D)
  explicit GlobalMaxPooling3D(GlobalPooling3DOptions options = {})
      : GlobalPooling(3, ReduceKind::max, std::move(options), "GlobalMaxPooling3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalMaxPooling3D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalMaxPooling3D>(config, "GlobalMaxPooling3D");
  }
};

}  // namespace strata::layers
