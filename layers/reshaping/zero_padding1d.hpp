#pragma once
#include <strata/layers/reshaping/zero_padding.hpp>

namespace strata::layers {

/// keras.layers.ZeroPadding1D: adds `padding` (begin, end) zeros around the steps dim.
class ZeroPadding1D : public ZeroPadding {
 public:
  STRATA_LAYER(ZeroPadding1D)
  explicit ZeroPadding1D(PaddingSpec padding = 1, ZeroPadding1DOptions options = {})
      : ZeroPadding(1, std::move(padding), std::move(options), "ZeroPadding1D") {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<ZeroPadding1D> from_config(const nlohmann::json& config) {
    return padding_from_config<ZeroPadding1D>(config, "ZeroPadding1D");
  }
};

}  // namespace strata::layers
