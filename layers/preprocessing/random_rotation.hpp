#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomRotationOptions {
  std::string fill_mode = "reflect";  // reflect, wrap, constant, nearest
  std::string interpolation = "bilinear";  // or nearest
  std::optional<std::uint64_t> seed;
  double fill_value = 0.0;  // for fill_mode constant
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomRotation: in training, rotates each image about its centre by factor * 360 degrees drawn
/// uniformly from the factor range (a number f: [-f, f]); identity otherwise.
class RandomRotation : public NoiseLayer {
 public:
  STRATA_LAYER(RandomRotation)
  explicit RandomRotation(Factor factor, RandomRotationOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomRotation> from_config(const nlohmann::json& config);

 private:
  double lower_, upper_;
  RandomRotationOptions options_;
  AffineTransformAttrs attrs_;
};

}  // namespace strata::layers
