#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.AveragePooling2D: the mean over each window; with padding "same" the padded positions are not counted, as Keras does. Input (batch, height, width, channels), or channels first.
class AveragePooling2D : public Pooling {
 public:
  STRATA_LAYER(AveragePooling2D)
  explicit AveragePooling2D(SpatialSize pool_size = 2, Pooling2DOptions options = {})
      : Pooling(2, PoolingKind::average, std::move(pool_size), std::move(options), "AveragePooling2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<AveragePooling2D> from_config(const nlohmann::json& config) {
    return pooling_from_config<AveragePooling2D>(config, "AveragePooling2D");
  }
};

}  // namespace strata::layers
