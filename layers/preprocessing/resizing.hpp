#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>

namespace strata::layers {

struct ResizingOptions {
  std::string interpolation = "bilinear";  // bilinear, nearest (bicubic, lanczos3, lanczos5: not yet)
  bool crop_to_aspect_ratio = false;       // centre-crop to the target aspect ratio first
  bool pad_to_aspect_ratio = false;        // or pad the short side evenly with fill_value
  std::string fill_mode = "constant";      // Keras supports only constant here
  double fill_value = 0.0;
  bool antialias = false;
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.Resizing: resizes (N, H, W, C) or (H, W, C) images to height x width in every call (training or
/// not), as jax.image.resize: bilinear with half-pixel centres, or nearest.
class Resizing : public Layer {
 public:
  STRATA_LAYER(Resizing)
  Resizing(std::int64_t height, std::int64_t width, ResizingOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<Resizing> from_config(const nlohmann::json& config);

 private:
  std::int64_t height_, width_;
  ResizingOptions options_;
  ImageInterpolation interpolation_ = ImageInterpolation::bilinear;
};

}  // namespace strata::layers
