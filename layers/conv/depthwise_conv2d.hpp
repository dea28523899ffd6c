#pragma once
#include <strata/layers/conv/base_depthwise_conv.hpp>

namespace strata::layers {

/// keras.layers.DepthwiseConv2D: input (batch, h, w, channels) or channels_first (batch, channels, h, w);
/// kernel (kh, kw, in, depth_multiplier), bias (in * depth_multiplier,).
class DepthwiseConv2D : public BaseDepthwiseConv {
 public:
  STRATA_LAYER(DepthwiseConv2D)
  explicit DepthwiseConv2D(SpatialSize kernel_size, DepthwiseConv2DOptions options = {})
      : BaseDepthwiseConv(2, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<DepthwiseConv2D> from_config(const nlohmann::json& config) {
    return from_config_as<DepthwiseConv2D>(config, "DepthwiseConv2D");
  }
};

}  // namespace strata::layers
