#pragma once
#include <strata/layers/conv/base_conv_transpose.hpp>

namespace strata::layers {

/// keras.layers.Conv3DTranspose: input (batch, d, h, w, channels) or channels_first (batch, channels, d, h, w);
/// kernel (kd, kh, kw, filters, in), bias (filters,).
class Conv3DTranspose : public BaseConvTranspose {
 public:
  STRATA_LAYER(Conv3DTranspose)
  Conv3DTranspose(std::int64_t filters, SpatialSize kernel_size, Conv3DTransposeOptions options = {})
      : BaseConvTranspose(3, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv3DTranspose> from_config(const nlohmann::json& config) {
    return from_config_as<Conv3DTranspose>(config, "Conv3DTranspose");
  }
};

}  // namespace strata::layers
