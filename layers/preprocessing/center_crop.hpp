#pragma once
#include <strata/layers/preprocessing/image_preprocessing.hpp>

namespace strata::layers {

struct CenterCropOptions {
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// keras.layers.CenterCrop: the centred height x width window of each image in every call; an image smaller than
/// that is centre-cropped to the target aspect ratio and resized (bilinear), as Keras's smart_resize.
class CenterCrop : public Layer {
 public:
  STRATA_LAYER(CenterCrop)
  CenterCrop(std::int64_t height, std::int64_t width, CenterCropOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<CenterCrop> from_config(const nlohmann::json& config);

 private:
  std::int64_t height_, width_;
  CenterCropOptions options_;
};

}  // namespace strata::layers
