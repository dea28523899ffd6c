#pragma once
#include <strata/layers/conv/base_conv.hpp>

namespace strata::layers {

/// keras.layers.Conv2D: input (batch, h, w, channels) or channels_first (batch, channels, h, w);
/// kernel (kh, kw, in / groups, filters).
class Conv2D : public BaseConv {
 public:
  STRATA_LAYER(Conv2D)
  Conv2D(std::int64_t filters, SpatialSize kernel_size, Conv2DOptions options = {})
      : BaseConv(2, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv2D> from_config(const nlohmann::json& config) {
    return from_config_as<Conv2D>(config, "Conv2D");
  }
};

}  // namespace strata::layers
