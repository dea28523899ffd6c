#pragma once
#include <strata/layers/reshaping/zero_padding.hpp>

namespace strata::layers {

/// keras.layers.ZeroPadding2D: adds `padding` (begin, end) zeros around height and width.
class ZeroPadding2D : public ZeroPadding {
 public:
  STRATA_LAYER(ZeroPadding2D)
  explicit ZeroPadding2D(PaddingSpec padding = 1, ZeroPadding2DOptions options = {})
      : ZeroPadding(2, std::move(padding), std::move(options), "ZeroPadding2D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<ZeroPadding2D> from_config(const nlohmann::json& config) {
    return padding_from_config<ZeroPadding2D>(config, "ZeroPadding2D");
  }
};

}  // namespace strata::layers
