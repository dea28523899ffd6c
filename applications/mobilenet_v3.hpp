#pragma once
// keras.applications.MobileNetV3Small / MobileNetV3Large (Howard et al., 2019), layer for layer as Keras 3 builds them.
#include <strata/applications/application.hpp>
#include <strata/applications/imagenet_utils.hpp>

namespace strata::applications {

/// MobileNetV3's own arguments.
struct MobileNetV3Options {
  double alpha = 1.0;          // width multiplier of the blocks' filters
  bool minimalistic = false;   // 3x3 kernels, ReLU everywhere, no squeeze-and-excitation
  double dropout_rate = 0.2;   // before the classifier
  bool include_preprocessing = true;  // Rescaling(1/127.5, -1) first: inputs are images in [0, 255]
};

/// keras.applications.MobileNetV3Small / Large: any input of at least 32x32 (default (None, None, 3), also with
/// include_top, as Keras); model names "MobileNetV3Small" / "MobileNetV3Large". Keras writes hard_sigmoid as
/// ReLU(6)(x + 3) * (1/6) with two graph ops; strata uses two Rescaling layers for the ops.
std::shared_ptr<Model> MobileNetV3Small(ApplicationOptions options = {}, MobileNetV3Options family = {});
std::shared_ptr<Model> MobileNetV3Large(ApplicationOptions options = {}, MobileNetV3Options family = {});

namespace mobilenet_v3 {
/// Keras's mobilenet_v3.preprocess_input: the identity (the models rescale their inputs themselves).
inline Tensor preprocess_input(const Tensor& x, const std::string& data_format = "") {
  (void)data_format;
  return x;
}
inline std::vector<std::vector<imagenet_utils::Prediction>> decode_predictions(const Tensor& preds, int top = 5) {
  return imagenet_utils::decode_predictions(preds, top);
}
/// Keras's _depth: v rounded to a multiple of divisor, never below 90% of v.
std::int64_t depth(double v, std::int64_t divisor = 8, std::int64_t min_value = 0);
}  // namespace mobilenet_v3

}  // namespace strata::applications
