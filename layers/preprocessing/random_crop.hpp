#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomCropOptions {
  std::optional<std::uint64_t> seed;  // none: a fresh seed, written to the config as Keras does
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomCrop: in training, one random height x width window for the whole batch (an input not
/// larger than that in both dims is centre-cropped to the aspect ratio and resized); identity otherwise, as Keras 3.
class RandomCrop : public NoiseLayer {
 public:
  STRATA_LAYER(RandomCrop)
  RandomCrop(std::int64_t height, std::int64_t width, RandomCropOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomCrop> from_config(const nlohmann::json& config);

 private:
  std::int64_t height_, width_;
  RandomCropOptions options_;
};

}  // namespace strata::layers
