#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomFlipOptions {
  std::optional<std::uint64_t> seed;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomFlip: in training, flips each image with probability 1/2 ("horizontal", "vertical", or
/// both at once for "horizontal_and_vertical"); identity otherwise.
class RandomFlip : public NoiseLayer {
 public:
  STRATA_LAYER(RandomFlip)
  explicit RandomFlip(std::string mode = "horizontal_and_vertical", RandomFlipOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomFlip> from_config(const nlohmann::json& config);

 private:
  std::string mode_;
  RandomFlipOptions options_;
};

}  // namespace strata::layers
