#pragma once
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

/// keras.layers.MaxPooling1D: the maximum over each pool_size window (padding "same" never picks padding). Input (batch, steps, channels), or channels first.
class MaxPooling1D : public Pooling {
 public:
  STRATA_LAYER(MaxPooling1D)
  explicit MaxPooling1D(SpatialSize pool_size = 2, Pooling1DOptions options = {})
      : Pooling(1, PoolingKind::max, std::move(pool_size), std::move(options), "MaxPooling1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<MaxPooling1D> from_config(const nlohmann::json& config) {
    return pooling_from_config<MaxPooling1D>(config, "MaxPooling1D");
  }
};

}  // namespace strata::layers
