#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalMaxPooling2D: the maximum over the 2 spatial dims, (batch, spatial..., channels) -> (batch, channels).
class GlobalMaxPooling2D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalMaxPooling2D)
  explicit GlobalMaxPooling2D(GlobalPooling2DOptions options = {})
      : GlobalPooling(2, ReduceKind::max, std::move(options), "GlobalMaxPooling2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalMaxPooling2D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalMaxPooling2D>(config, "GlobalMaxPooling2D");
  }
};

}  // namespace strata::layers
