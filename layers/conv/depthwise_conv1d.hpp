#pragma once
#include <strata/layers/conv/base_depthwise_conv.hpp>

namespace strata::layers {

/// keras.layers.DepthwiseConv1D: input (batch, steps, channels) or channels_first (batch, channels, steps);
/// kernel (k, in, depth_multiplier), bias (in * depth_multiplier,).
class DepthwiseConv1D : public BaseDepthwiseConv {
 public:
  STRATA_LAYER(DepthwiseConv1D)
  explicit DepthwiseConv1D(SpatialSize kernel_size, DepthwiseConv1DOptions options = {})
      : BaseDepthwiseConv(1, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<DepthwiseConv1D> from_config(const nlohmann::json& config) {
    return from_config_as<DepthwiseConv1D>(config, "DepthwiseConv1D");
  }
};

}  // namespace strata::layers
