#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalAveragePooling2D: the mean over height and width, (batch, h, w, c) -> (batch, c), or
/// (batch, 1, 1, c) with keepdims.
class GlobalAveragePooling2D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalAveragePooling2D)
  explicit GlobalAveragePooling2D(GlobalPooling2DOptions options = {})
      : GlobalPooling(2, ReduceKind::mean, std::move(options), "GlobalAveragePooling2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalAveragePooling2D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalAveragePooling2D>(config, "GlobalAveragePooling2D");
  }
};

}  // namespace strata::layers
