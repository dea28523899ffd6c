#pragma once
#include <strata/layers/reshaping/cropping.hpp>

namespace strata::layers {

/// keras.layers.Cropping2D: removes `cropping` (begin, end) entries from height and width.
class Cropping2D : public Cropping {
 public:
  STRATA_LAYER(Cropping2D)
  explicit Cropping2D(PaddingSpec cropping = 0, Cropping2DOptions options = {})
      : Cropping(2, std::move(cropping), std::move(options), "Cropping2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Cropping2D> from_config(const nlohmann::json& config) {
    return cropping_from_config<Cropping2D>(config, "Cropping2D");
  }
};

}  // namespace strata::layers
