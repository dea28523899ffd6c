#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.AveragePooling1D: the mean over each window; with padding "same" the padded positions are not counted, as Keras does. Input (batch, steps, channels), or channels first.
class AveragePooling1D : public Pooling {
 public:
  STRATA_LAYER(AveragePooling1D)
  explicit AveragePooling1D(SpatialSize pool_size = 2, Pooling1DOptions options = {})
      : Pooling(1, PoolingKind::average, std::move(pool_size), std::move(options), "AveragePooling1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<AveragePooling1D> from_config(const nlohmann::json& config) {
    return pooling_from_config<AveragePooling1D>(config, "AveragePooling1D");
  }
};

}  // namespace strata::layers
