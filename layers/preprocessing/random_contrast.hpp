#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomContrastOptions {
  std::vector<double> value_range = {0, 255};  // outputs are clipped to it
  std::optional<std::uint64_t> seed;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomContrast: in training, (x - mean) * c + mean per image and channel (mean over height and
/// width), c uniform in [1 - lower, 1 + upper] of the factor range (within [0, 1]; a number f: [0, f]), clipped to
/// value_range; identity otherwise.
class RandomContrast : public NoiseLayer {
 public:
  STRATA_LAYER(RandomContrast)
  explicit RandomContrast(Factor factor, RandomContrastOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomContrast> from_config(const nlohmann::json& config);

 private:
  double lower_, upper_;
  RandomContrastOptions options_;
};

}  // namespace strata::layers
