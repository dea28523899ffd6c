#pragma once
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct GaussianNoiseOptions {
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// keras.layers.GaussianNoise: in training, adds zero-mean normal noise of standard deviation `stddev`
/// (fresh every step); identity otherwise.
class GaussianNoise : public NoiseLayer {
 public:
  STRATA_LAYER(GaussianNoise)
  explicit GaussianNoise(double stddev, GaussianNoiseOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<GaussianNoise> from_config(const nlohmann::json& config);

 private:
  double stddev_;
};

}  // namespace strata::layers
