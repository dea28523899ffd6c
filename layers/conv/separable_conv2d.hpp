#pragma once
#include <strata/layers/conv/base_separable_conv.hpp>

namespace strata::layers {

/// keras.layers.SeparableConv2D: input (batch, h, w, channels) or channels_first (batch, channels, h, w);
/// depthwise_kernel (kh, kw, in, depth_multiplier), pointwise_kernel (1, 1, in * depth_multiplier, filters), bias (filters,).
class SeparableConv2D : public BaseSeparableConv {
 public:
  STRATA_LAYER(SeparableConv2D)
  SeparableConv2D(std::int64_t filters, SpatialSize kernel_size, SeparableConv2DOptions options = {})
      : BaseSeparableConv(2, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<SeparableConv2D> from_config(const nlohmann::json& config) {
    return from_config_as<SeparableConv2D>(config, "SeparableConv2D");
  }
};

}  // namespace strata::layers
