#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct RandomZoomOptions {
  std::optional<Factor> width_factor;  // none: the width zooms as the height does (aspect ratio kept)
  std::string fill_mode = "reflect";   // reflect, wrap, constant, nearest
  std::string interpolation = "bilinear";  // or nearest
  std::optional<std::uint64_t> seed;
  double fill_value = 0.0;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.RandomZoom: in training, samples each image at 1 + a factor drawn from the range about its centre
/// (a positive factor zooms out, a negative one zooms in); identity otherwise. Factors lie in (-1, 1].
class RandomZoom : public NoiseLayer {
 public:
  STRATA_LAYER(RandomZoom)
  explicit RandomZoom(Factor height_factor, RandomZoomOptions options = {});

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<RandomZoom> from_config(const nlohmann::json& config);

 private:
  Factor height_factor_;
  double height_lower_, height_upper_, width_lower_ = 0, width_upper_ = 0;
  RandomZoomOptions options_;
  AffineTransformAttrs attrs_;
};

}  // namespace strata::layers
