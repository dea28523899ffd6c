#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomTranslationOptions {
  std::string fill_mode = "reflect";  // reflect, wrap, constant, nearest
  std::string interpolation = "bilinear";  // or nearest
  std::optional<std::uint64_t> seed;
  double fill_value = 0.0;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomTranslation: in training, shifts each image by a fraction of its height and width drawn
/// from the factor ranges (in [-1, 1]; a number f: [-f, f]); identity otherwise.
class RandomTranslation : public NoiseLayer {
 public:
  STRATA_LAYER(RandomTranslation)
  RandomTranslation(Factor height_factor, Factor width_factor, RandomTranslationOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomTranslation> from_config(const nlohmann::json& config);

 private:
  Factor height_factor_, width_factor_;
  double height_lower_, height_upper_, width_lower_, width_upper_;
  RandomTranslationOptions options_;
  AffineTransformAttrs attrs_;
};

}  // namespace strata::layers
