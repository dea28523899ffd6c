#pragma once
// keras.applications.ConvNeXtTiny / Small / Base (Liu et al., 2022), layer for layer as Keras 3 builds them.
#include <array>

#include <strata/applications/application.hpp>
#include <strata/applications/imagenet_utils.hpp>

namespace strata::applications {

/// ConvNeXt's own arguments.
struct ConvNeXtOptions {
  bool include_preprocessing = true;  // Normalization by the ImageNet mean and variance: inputs in [0, 255]
  double drop_path_rate = 0.0;        // stochastic depth, rising linearly over the blocks to this (Keras: 0)
  double layer_scale_init_value = 1e-6;
};

/// keras.applications.convnext.ConvNeXt: a stem and 3 downsampling blocks (nested Sequential models, as Keras), stages
/// of ConvNeXt blocks (7x7 depthwise conv, LayerNormalization, two Dense, LayerScale, StochasticDepth or identity),
/// and the head. `name` is the model name when options.name is empty; it prefixes every layer's name.
std::shared_ptr<Model> ConvNeXt(std::array<int, 4> depths, std::array<std::int64_t, 4> projection_dims,
                                std::int64_t default_size, ApplicationOptions options, ConvNeXtOptions family,
                                const std::string& name);

/// Default input (224, 224, 3); model names "convnext_tiny", "convnext_small", "convnext_base".
std::shared_ptr<Model> ConvNeXtTiny(ApplicationOptions options = {}, ConvNeXtOptions family = {});
std::shared_ptr<Model> ConvNeXtSmall(ApplicationOptions options = {}, ConvNeXtOptions family = {});
std::shared_ptr<Model> ConvNeXtBase(ApplicationOptions options = {}, ConvNeXtOptions family = {});

namespace convnext {
/// Keras's convnext.preprocess_input: the identity (the models normalize their inputs themselves).
inline Tensor preprocess_input(const Tensor& x, const std::string& data_format = "") {
  (void)data_format;
  return x;
}
inline std::vector<std::vector<imagenet_utils::Prediction>> decode_predictions(const Tensor& preds, int top = 5) {
  return imagenet_utils::decode_predictions(preds, top);
}
}  // namespace convnext

}  // namespace strata::applications
