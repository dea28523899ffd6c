#pragma once
#include <strata/layers/reshaping/cropping.hpp>

namespace strata::layers {

/// keras.layers.Cropping1D: removes `cropping` (begin, end) entries from the steps dim.
class Cropping1D : public Cropping {
 public:
  STRATA_LAYER(Cropping1D)
  explicit Cropping1D(PaddingSpec cropping = {1, 1}, Cropping1DOptions options = {})
      : Cropping(1, std::move(cropping), std::move(options), "Cropping1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Cropping1D> from_config(const nlohmann::json& config) {
    return cropping_from_config<Cropping1D>(config, "Cropping1D");
  }
};

}  // namespace strata::layers
