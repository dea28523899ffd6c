#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.MaxPooling3D: the maximum over each pool_size window (padding "same" never picks padding). Input (batch, d1, d2, d3, channels), or channels first.
class MaxPooling3D : public Pooling {
 public:
  STRATA_LAYER(MaxPooling3D)
  explicit MaxPooling3D(SpatialSize pool_size = 2, Pooling3DOptions options = {})
      : Pooling(3, PoolingKind::max, std::move(pool_size), std::move(options), "MaxPooling3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<MaxPooling3D> from_config(const nlohmann::json& config) {
    return pooling_from_config<MaxPooling3D>(config, "MaxPooling3D");
  }
};

}  // namespace strata::layers
