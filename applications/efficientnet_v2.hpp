#pragma once
// keras.applications.EfficientNetV2B0..B3 / S / M / L (Tan & Le, 2021), layer for layer as Keras 3 builds them.
#include <strata/applications/application.hpp>
#include <strata/applications/imagenet_utils.hpp>

namespace strata::applications {

/// EfficientNetV2's own argument.
struct EfficientNetV2Options {
  /// Preprocessing inside the model, inputs in [0, 255]: B0..B3 Rescaling(1/255) + Normalization by the ImageNet
  /// mean and variance (3 channels); S, M, L (and other channel counts) Rescaling(1/128, -1).
  bool include_preprocessing = true;
};

/// The EfficientNetV2 builder for a Keras variant key ("efficientnetv2-b0", ..., "efficientnetv2-l"): a stem, fused
/// and plain MBConv blocks (drop-connect as Dropout with noise_shape (None, 1, 1, 1)), and the head.
std::shared_ptr<Model> EfficientNetV2(const std::string& variant, double width_coefficient, double depth_coefficient,
                                      std::int64_t default_size, ApplicationOptions options,
                                      EfficientNetV2Options family);

/// Default sizes 224, 240, 260, 300, 384, 480, 480; model names "efficientnetv2-b0" ... "efficientnetv2-l".
std::shared_ptr<Model> EfficientNetV2B0(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2B1(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2B2(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2B3(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2S(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2M(ApplicationOptions options = {}, EfficientNetV2Options family = {});
std::shared_ptr<Model> EfficientNetV2L(ApplicationOptions options = {}, EfficientNetV2Options family = {});

namespace efficientnet_v2 {
/// Keras's efficientnet_v2.preprocess_input: the identity (the models preprocess their inputs themselves).
inline Tensor preprocess_input(const Tensor& x, const std::string& data_format = "") {
  (void)data_format;
  return x;
}
inline std::vector<std::vector<imagenet_utils::Prediction>> decode_predictions(const Tensor& preds, int top = 5) {
  return imagenet_utils::decode_predictions(preds, top);
}
}  // namespace efficientnet_v2

}  // namespace strata::applications
