#pragma once
#include <strata/layers/reshaping/zero_padding.hpp>

namespace strata::layers {

/// keras.layers.ZeroPadding3D: adds `padding` (begin, end) zeros around the 3 spatial dims.
class ZeroPadding3D : public ZeroPadding {
 public:
  STRATA_LAYER(ZeroPadding3D)
  explicit ZeroPadding3D(PaddingSpec padding = 1, ZeroPadding3DOptions options = {})
      : ZeroPadding(3, std::move(padding), std::move(options), "ZeroPadding3D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<ZeroPadding3D> from_config(const nlohmann::json& config) {
    return padding_from_config<ZeroPadding3D>(config, "ZeroPadding3D");
  }
};

}  // namespace strata::layers
