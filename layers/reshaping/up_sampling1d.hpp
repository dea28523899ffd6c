#pragma once
#include <strata/layers/reshaping/up_sampling.hpp>

namespace strata::layers {

/// keras.layers.UpSampling1D: repeats each step `size` times along the steps dim.
class UpSampling1D : public UpSampling {
 public:
  STRATA_LAYER(UpSampling1D)
  explicit UpSampling1D(SpatialSize size = 2, UpSampling1DOptions options = {})
      : UpSampling(1, std::move(size), std::move(options), "UpSampling1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<UpSampling1D> from_config(const nlohmann::json& config) {
    return up_sampling_from_config<UpSampling1D>(config, "UpSampling1D");
  }
};

}  // namespace strata::layers
