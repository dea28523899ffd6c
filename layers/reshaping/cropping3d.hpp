#pragma once
#include <strata/layers/reshaping/cropping.hpp>

namespace strata::layers {

/// keras.layers.Cropping3D: removes `cropping` (begin, end) entries from the 3 spatial dims.
class Cropping3D : public Cropping {
 public:
  STRATA_LAYER(Cropping3D)
  explicit Cropping3D(PaddingSpec cropping = 1, Cropping3DOptions options = {})
      : Cropping(3, std::move(cropping), std::move(options), "Cropping3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Cropping3D> from_config(const nlohmann::json& config) {
    return cropping_from_config<Cropping3D>(config, "Cropping3D");
  }
};

}  // namespace strata::layers
