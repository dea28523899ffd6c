#pragma once
#include <strata/layers/conv/base_conv_transpose.hpp>

namespace strata::layers {

/// keras.layers.Conv1DTranspose: input (batch, steps, channels) or channels_first (batch, channels, steps);
/// kernel (k, filters, in), bias (filters,).
class Conv1DTranspose : public BaseConvTranspose {
 public:
  STRATA_LAYER(Conv1DTranspose)
  Conv1DTranspose(std::int64_t filters, SpatialSize kernel_size, Conv1DTransposeOptions options = {})
      : BaseConvTranspose(1, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv1DTranspose> from_config(const nlohmann::json& config) {
    return from_config_as<Conv1DTranspose>(config, "Conv1DTranspose");
  }
};

}  // namespace strata::layers
