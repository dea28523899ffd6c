#pragma once
// keras.applications.EfficientNetB0..B7 (Tan & Le, 2019), layer for layer as Keras 3 builds them.
#include <strata/applications/application.hpp>
#include <strata/applications/imagenet_utils.hpp>

namespace strata::applications {

/// keras.applications.efficientnet.EfficientNet's own arguments (the B0..B7 constructors fix them per variant).
struct EfficientNetOptions {
  double width_coefficient = 1.0;
  double depth_coefficient = 1.0;
  std::int64_t default_size = 224;
  double dropout_rate = 0.2;       // before the classifier
  double drop_connect_rate = 0.2;  // per-sample drop of each residual block, rising linearly with depth to this
  std::int64_t depth_divisor = 8;
  std::string activation = "swish";
};

/// The EfficientNet builder: Rescaling(1/255) and Normalization (mean, variance, count weights; Keras's
/// preprocessing inside the model), a stem, MBConv blocks with squeeze-and-excitation, and the head. Drop-connect is
/// Dropout with noise_shape (None, 1, 1, 1), as Keras. `name` is the model name when options.name is empty.
std::shared_ptr<Model> EfficientNet(ApplicationOptions options, EfficientNetOptions family, const std::string& name);

/// Inputs are images in [0, 255] (the model rescales and normalizes them). Default sizes: 224, 240, 260, 300, 380,
/// 456, 528, 600; model names "efficientnetb0".."efficientnetb7".
std::shared_ptr<Model> EfficientNetB0(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB1(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB2(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB3(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB4(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB5(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB6(ApplicationOptions options = {});
std::shared_ptr<Model> EfficientNetB7(ApplicationOptions options = {});

namespace efficientnet {
/// Keras's efficientnet.preprocess_input: the identity (the models preprocess their inputs themselves).
inline Tensor preprocess_input(const Tensor& x, const std::string& data_format = "") {
  (void)data_format;
  return x;
}
inline std::vector<std::vector<imagenet_utils::Prediction>> decode_predictions(const Tensor& preds, int top = 5) {
  return imagenet_utils::decode_predictions(preds, top);
}
}  // namespace efficientnet

}  // namespace strata::applications
