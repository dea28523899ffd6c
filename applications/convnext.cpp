#include <strata/applications/convnext.hpp>

#include <strata/api/errors.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

SymbolicTensor convnext_block(SymbolicTensor inputs, std::int64_t projection_dim, double drop_path_rate,
                              double layer_scale_init_value, const std::string& name) {
  SymbolicTensor x = Conv2D(projection_dim, 7, {.padding = "same", .groups = projection_dim,
                                                .name = name + "_depthwise_conv"})(inputs);
  x = LayerNormalization({.epsilon = 1e-6, .name = name + "_layernorm"})(x);
  x = Dense(4 * projection_dim, {.name = name + "_pointwise_conv_1"})(x);
  x = Activation("gelu", {.name = name + "_gelu"})(x);
  x = Dense(projection_dim, {.name = name + "_pointwise_conv_2"})(x);
  x = LayerScale(layer_scale_init_value, projection_dim, {.name = name + "_layer_scale"})(x);
  if (drop_path_rate > 0)
    x = StochasticDepth(drop_path_rate, {.name = name + "_stochastic_depth"})(x);
  else
    x = Activation("linear", {.name = name + "_identity"})(x);
  // Keras: inputs + layer(x), a keras.ops call
  return NumpyOperation("Add", std::nullopt, false, iu::auto_name("add"))({inputs, x}).front();
}

}  // namespace

std::shared_ptr<Model> ConvNeXt(std::array<int, 4> depths, std::array<std::int64_t, 4> projection_dims,
                                std::int64_t default_size, ApplicationOptions options, ConvNeXtOptions family,
                                const std::string& default_name) {
  iu::check_application_options(options, default_name);
  const std::string name = options.name.empty() ? default_name : options.name;
  Shape input_shape = iu::obtain_input_shape(options.input_shape, default_size, 32, "channels_last",
                                             options.include_top, options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);
  SymbolicTensor x = img_input;
  if (family.include_preprocessing && input_shape[2] == 3) {
    // Keras's PreStem: the ImageNet mean and variance of [0, 255] images
    x = Normalization({.mean = {0.485 * 255, 0.456 * 255, 0.406 * 255},
                       .variance = {(0.229 * 255) * (0.229 * 255), (0.224 * 255) * (0.224 * 255),
                                    (0.225 * 255) * (0.225 * 255)},
                       .name = name + "_prestem_normalization"})(x);
  }
  std::vector<std::shared_ptr<Sequential>> downsample_layers;
  downsample_layers.push_back(std::make_shared<Sequential>(
      std::initializer_list<SequentialItem>{
          Conv2D(projection_dims[0], 4, {.strides = 4, .name = name + "_stem_conv"}),
          LayerNormalization({.epsilon = 1e-6, .name = name + "_stem_layernorm"})},
      name + "_stem"));
  for (int i = 0; i < 3; ++i) {
    const std::string index = std::to_string(i);
    downsample_layers.push_back(std::make_shared<Sequential>(
        std::initializer_list<SequentialItem>{
            LayerNormalization({.epsilon = 1e-6, .name = name + "_downsampling_layernorm_" + index}),
            Conv2D(projection_dims[i + 1], 2, {.strides = 2, .name = name + "_downsampling_conv_" + index})},
        name + "_downsampling_block_" + index));
  }
  // np.linspace(0, drop_path_rate, sum(depths))
  const int total = depths[0] + depths[1] + depths[2] + depths[3];
  std::vector<double> depth_drop_rates(total, 0.0);
  for (int k = 0; k < total && total > 1; ++k) depth_drop_rates[k] = family.drop_path_rate * k / (total - 1);
  int cur = 0;
  for (int i = 0; i < 4; ++i) {
    x = (*downsample_layers[i])(x);
    for (int j = 0; j < depths[i]; ++j)
      x = convnext_block(x, projection_dims[i], depth_drop_rates[cur + j], family.layer_scale_init_value,
                         name + "_stage_" + std::to_string(i) + "_block_" + std::to_string(j));
    cur += depths[i];
  }
  if (options.include_top) {
    iu::validate_activation(options.classifier_activation, options.weights);
    x = GlobalAveragePooling2D({.name = name + "_head_gap"})(x);
    x = LayerNormalization({.epsilon = 1e-6, .name = name + "_head_layernorm"})(x);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = name + "_head_dense"})(x);
  } else {
    if (options.pooling == "avg")
      x = GlobalAveragePooling2D({.name = iu::auto_name("global_average_pooling2d")})(x);
    else if (options.pooling == "max")
      x = GlobalMaxPooling2D({.name = iu::auto_name("global_max_pooling2d")})(x);
    x = LayerNormalization({.epsilon = 1e-6, .name = iu::auto_name("layer_normalization")})(x);
  }
  return iu::finish_application(options, img_input, x, default_name);
}

std::shared_ptr<Model> ConvNeXtTiny(ApplicationOptions options, ConvNeXtOptions family) {
  return ConvNeXt({3, 3, 9, 3}, {96, 192, 384, 768}, 224, std::move(options), family, "convnext_tiny");
}
std::shared_ptr<Model> ConvNeXtSmall(ApplicationOptions options, ConvNeXtOptions family) {
  return ConvNeXt({3, 3, 27, 3}, {96, 192, 384, 768}, 224, std::move(options), family, "convnext_small");
}
std::shared_ptr<Model> ConvNeXtBase(ApplicationOptions options, ConvNeXtOptions family) {
  return ConvNeXt({3, 3, 27, 3}, {128, 256, 512, 1024}, 224, std::move(options), family, "convnext_base");
}

}  // namespace strata::applications
