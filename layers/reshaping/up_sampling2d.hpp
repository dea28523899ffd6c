#pragma once
#include <strata/layers/reshaping/up_sampling.hpp>

namespace strata::layers {

/// keras.layers.UpSampling2D: scales height and width by `size`, nearest (repetition) or bilinear.
class UpSampling2D : public UpSampling {
 public:
  STRATA_LAYER(UpSampling2D)
  explicit UpSampling2D(SpatialSize size = 2, UpSampling2DOptions options = {})
      : UpSampling(2, std::move(size), std::move(options), "UpSampling2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<UpSampling2D> from_config(const nlohmann::json& config) {
    return up_sampling_from_config<UpSampling2D>(config, "UpSampling2D");
  }
};

}  // namespace strata::layers
