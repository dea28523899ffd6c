#pragma once
#include <strata/layers/reshaping/up_sampling.hpp>

namespace strata::layers {

/// keras.layers.UpSampling3D: repeats each entry `size` times along each of the 3 spatial dims.
class UpSampling3D : public UpSampling {
 public:
  STRATA_LAYER(UpSampling3D)
  explicit UpSampling3D(SpatialSize size = 2, UpSampling3DOptions options = {})
      : UpSampling(3, std::move(size), std::move(options), "UpSampling3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<UpSampling3D> from_config(const nlohmann::json& config) {
    return up_sampling_from_config<UpSampling3D>(config, "UpSampling3D");
  }
};

}  // namespace strata::layers
