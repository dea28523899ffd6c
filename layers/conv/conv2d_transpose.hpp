#pragma once
#include <strata/layers/conv/base_conv_transpose.hpp>

namespace strata::layers {

/// keras.layers.Conv2DTranspose: input (batch, h, w, channels) or channels_first (batch, channels, h, w);
/// kernel (kh, kw, filters, in), bias (filters,).
class Conv2DTranspose : public BaseConvTranspose {
 public:
  STRATA_LAYER(Conv2DTranspose)
  Conv2DTranspose(std::int64_t filters, SpatialSize kernel_size, Conv2DTransposeOptions options = {})
      : BaseConvTranspose(2, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv2DTranspose> from_config(const nlohmann::json& config) {
    return from_config_as<Conv2DTranspose>(config, "Conv2DTranspose");
  }
};

}  // namespace strata::layers
