#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.AveragePooling3D: the mean over each window; with padding "same" the padded positions are not counted, as Keras does. Input (batch, d1, d2, d3, channels), or channels first.
class AveragePooling3D : public Pooling {
 public:
  STRATA_LAYER(AveragePooling3D)
  explicit AveragePooling3D(SpatialSize pool_size = 2, Pooling3DOptions options = {})
      : Pooling(3, PoolingKind::average, std::move(pool_size), std::move(options), "AveragePooling3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<AveragePooling3D> from_config(const nlohmann::json& config) {
    return pooling_from_config<AveragePooling3D>(config, "AveragePooling3D");
  }
};

}  // namespace strata::layers
