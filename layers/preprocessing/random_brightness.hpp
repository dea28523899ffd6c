#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomBrightnessOptions {
  std::vector<double> value_range = {0, 255};  // sorted; the delta scales with its width and outputs are clipped to it
  std::optional<std::uint64_t> seed;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomBrightness: in training, adds factor * (value_range width) per image, the factor uniform in the
/// range (within [-1, 1]; a number f: [-f, f]), then clips to value_range; identity otherwise.
class RandomBrightness : public NoiseLayer {
 public:
  STRATA_LAYER(RandomBrightness)
  explicit RandomBrightness(Factor factor, RandomBrightnessOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomBrightness> from_config(const nlohmann::json& config);

 private:
  double lower_, upper_;
  RandomBrightnessOptions options_;
};

}  // namespace strata::layers
