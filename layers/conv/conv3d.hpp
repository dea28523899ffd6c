#pragma once
#include <strata/layers/conv/base_conv.hpp>

namespace strata::layers {

/// keras.layers.Conv3D: input (batch, d, h, w, channels) or channels_first (batch, channels, d, h, w);
/// kernel (kd, kh, kw, in / groups, filters).
class Conv3D : public BaseConv {
 public:
  STRATA_LAYER(Conv3D)
  Conv3D(std::int64_t filters, SpatialSize kernel_size, Conv3DOptions options = {})
      : BaseConv(3, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv3D> from_config(const nlohmann::json& config) {
    return from_config_as<Conv3D>(config, "Conv3D");
  }
};

}  // namespace strata::layers
