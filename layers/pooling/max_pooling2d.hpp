#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.MaxPooling2D: the maximum over each pool_size window (padding "same" never picks padding). Input (batch, height, width, channels), or channels first.
class MaxPooling2D : public Pooling {
 public:
  STRATA_LAYER(MaxPooling2D)
  explicit MaxPooling2D(SpatialSize pool_size = 2, Pooling2DOptions options = {})
      : Pooling(2, PoolingKind::max, std::move(pool_size), std::move(options), "MaxPooling2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<MaxPooling2D> from_config(const nlohmann::json& config) {
    return pooling_from_config<MaxPooling2D>(config, "MaxPooling2D");
  }
};

}  // namespace strata::layers
