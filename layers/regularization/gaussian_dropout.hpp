#pragma once
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct GaussianDropoutOptions {
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// keras.layers.GaussianDropout: in training, multiplies by normal noise of mean 1 and standard deviation
/// sqrt(rate / (1 - rate)) (fresh every step); identity otherwise.
class GaussianDropout : public NoiseLayer {
 public:
  STRATA_LAYER(GaussianDropout)
  explicit GaussianDropout(double rate, GaussianDropoutOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<GaussianDropout> from_config(const nlohmann::json& config);

 private:
  double rate_;
};

}  // namespace strata::layers
