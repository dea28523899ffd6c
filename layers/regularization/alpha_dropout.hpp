#pragma once
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct AlphaDropoutOptions {
  /// Keras's noise_shape including the batch dim; -1 (None) takes the input's size, 1 shares the mask along
  /// that axis. Empty: the input's shape.
  std::vector<std::int64_t> noise_shape;
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// keras.layers.AlphaDropout: in training, sets a fraction `rate` of the inputs to SELU's negative saturation
/// value and applies the affine map that keeps the mean and variance (self-normalizing nets); identity otherwise.
class AlphaDropout : public NoiseLayer {
 public:
  STRATA_LAYER(AlphaDropout)
  explicit AlphaDropout(double rate, AlphaDropoutOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<AlphaDropout> from_config(const nlohmann::json& config);

 private:
  double rate_;
  std::vector<std::int64_t> noise_shape_;
};

}  // namespace strata::layers
