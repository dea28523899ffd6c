#pragma once
#include <strata/layers/conv/base_conv.hpp>

namespace strata::layers {

/// keras.layers.Conv1D: input (batch, steps, channels) or channels_first (batch, channels, steps);
/// kernel (k, in / groups, filters). padding may be "causal".
class Conv1D : public BaseConv {
 public:
  STRATA_LAYER(Conv1D)
  Conv1D(std::int64_t filters, SpatialSize kernel_size, Conv1DOptions options = {})
      : BaseConv(1, filters, std::move(kernel_size), std::move(options)) {
    init();
  }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv1D> from_config(const nlohmann::json& config) {
    return from_config_as<Conv1D>(config, "Conv1D");
  }
};

}  // namespace strata::layers
