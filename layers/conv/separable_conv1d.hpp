#pragma once
#include <strata/layers/conv/base_separable_conv.hpp>

namespace strata::layers {

/// keras.layers.SeparableConv1D: input (batch, steps, channels) or channels_first (batch, channels, steps);
/// depthwise_kernel (k, in, depth_multiplier), pointwise_kernel (1, in * depth_multiplier, filters), bias (filters,).
class SeparableConv1D : public BaseSeparableConv {
 public:
  STRATA_LAYER(SeparableConv1D)
  SeparableConv1D(std::int64_t filters, SpatialSize kernel_size, SeparableConv1DOptions options = {})
      : BaseSeparableConv(1, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<SeparableConv1D> from_config(const nlohmann::json& config) {
    return from_config_as<SeparableConv1D>(config, "SeparableConv1D");
  }
};

}  // namespace strata::layers
