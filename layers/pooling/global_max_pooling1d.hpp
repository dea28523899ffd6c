#pragma once
#include <strata/layers/pooling/global_pooling.hpp>

namespace strata::layers {

/// keras.layers.GlobalMaxPooling1D: the maximum over the 1 spatial dim, (batch, spatial..., channels) -> (batch, channels).
class GlobalMaxPooling1D : public GlobalPooling {
 public:
  STRATA_LAYER(GlobalMaxPooling1D)
  explicit GlobalMaxPooling1D(GlobalPooling1DOptions options = {})
      : GlobalPooling(1, ReduceKind::max, std::move(options), "GlobalMaxPooling1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<GlobalMaxPooling1D> from_config(const nlohmann::json& config) {
    return global_pooling_from_config<GlobalMaxPooling1D>(config, "GlobalMaxPooling1D");
  }
};

}  // namespace strata::layers
