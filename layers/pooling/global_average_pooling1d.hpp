#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalAveragePooling1D: the mean over the 1 spatial dim, (batch, spatial..., channels) -> (batch, channels).
class GlobalAveragePooling1D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalAveragePooling1D)
  explicit GlobalAveragePooling1D(GlobalPooling1DOptions options = {})
      : GlobalPooling(1, ReduceKind::mean, std::move(options), "GlobalAveragePooling1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalAveragePooling1D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalAveragePooling1D>(config, "GlobalAveragePooling1D");
  }
};

}  // namespace strata::layers
