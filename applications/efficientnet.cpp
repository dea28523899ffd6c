#include <strata/applications/efficientnet.hpp>

#include <cmath>

#include <strata/api/errors.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

Initializer conv_kernel_initializer() {
  return initializers::VarianceScaling({.scale = 2.0, .mode = "fan_out", .distribution = "truncated_normal"});
}
Initializer dense_kernel_initializer() {
  return initializers::VarianceScaling({.scale = 1.0 / 3.0, .mode = "fan_out", .distribution = "uniform"});
}

struct BlockArgs {
  int kernel_size, repeats;
  std::int64_t filters_in, filters_out;
  int expand_ratio;
  bool id_skip;
  int strides;
  double se_ratio;
};

constexpr BlockArgs kDefaultBlocksArgs[] = {
    {3, 1, 32, 16, 1, true, 1, 0.25},  {3, 2, 16, 24, 6, true, 2, 0.25},  {5, 2, 24, 40, 6, true, 2, 0.25},
    {3, 3, 40, 80, 6, true, 2, 0.25},  {5, 3, 80, 112, 6, true, 1, 0.25}, {5, 4, 112, 192, 6, true, 2, 0.25},
    {3, 1, 192, 320, 6, true, 1, 0.25},
};

// Keras's efficientnet.block: expansion, depthwise conv, squeeze-and-excitation, projection, drop-connect + skip.
SymbolicTensor block(SymbolicTensor inputs, const std::string& activation, double drop_rate, const std::string& name,
                     std::int64_t filters_in, std::int64_t filters_out, int kernel_size, int strides,
                     int expand_ratio, double se_ratio, bool id_skip) {
  const std::int64_t filters = filters_in * expand_ratio;
  SymbolicTensor x = inputs;
  if (expand_ratio != 1) {
    x = Conv2D(filters, 1, {.padding = "same", .use_bias = false, .kernel_initializer = conv_kernel_initializer(),
                            .name = name + "expand_conv"})(inputs);
    x = BatchNormalization({.axis = 3, .name = name + "expand_bn"})(x);
    x = Activation(activation, {.name = name + "expand_activation"})(x);
  }
  std::string conv_pad = "same";
  if (strides == 2) {
    x = ZeroPadding2D(iu::correct_pad(x, kernel_size), {.name = name + "dwconv_pad"})(x);
    conv_pad = "valid";
  }
  x = DepthwiseConv2D(kernel_size, {.strides = strides, .padding = conv_pad, .use_bias = false,
                                    .depthwise_initializer = conv_kernel_initializer(), .name = name + "dwconv"})(x);
  x = BatchNormalization({.axis = 3, .name = name + "bn"})(x);
  x = Activation(activation, {.name = name + "activation"})(x);
  if (0 < se_ratio && se_ratio <= 1) {
    const std::int64_t filters_se = std::max<std::int64_t>(1, static_cast<std::int64_t>(filters_in * se_ratio));
    SymbolicTensor se = GlobalAveragePooling2D({.name = name + "se_squeeze"})(x);
    se = Reshape({1, 1, filters}, {.name = name + "se_reshape"})(se);
    se = Conv2D(filters_se, 1, {.padding = "same", .activation = activation,
                                .kernel_initializer = conv_kernel_initializer(), .name = name + "se_reduce"})(se);
    se = Conv2D(filters, 1, {.padding = "same", .activation = "sigmoid",
                             .kernel_initializer = conv_kernel_initializer(), .name = name + "se_expand"})(se);
    x = Multiply({.name = name + "se_excite"})({x, se}).front();
  }
  x = Conv2D(filters_out, 1, {.padding = "same", .use_bias = false, .kernel_initializer = conv_kernel_initializer(),
                              .name = name + "project_conv"})(x);
  x = BatchNormalization({.axis = 3, .name = name + "project_bn"})(x);
  if (id_skip && strides == 1 && filters_in == filters_out) {
    if (drop_rate > 0) x = Dropout(drop_rate, {.noise_shape = {-1, 1, 1, 1}, .name = name + "drop"})(x);
    x = Add({.name = name + "add"})({x, inputs}).front();
  }
  return x;
}

}  // namespace

std::shared_ptr<Model> EfficientNet(ApplicationOptions options, EfficientNetOptions family, const std::string& name) {
  iu::check_application_options(options, name);
  Shape input_shape = iu::obtain_input_shape(options.input_shape, family.default_size, 32, "channels_last",
                                             options.include_top, options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  const double width = family.width_coefficient;
  const std::int64_t divisor = family.depth_divisor;
  auto round_filters = [&](double filters) {
    filters *= width;
    auto new_filters = std::max<std::int64_t>(
        divisor, static_cast<std::int64_t>(filters + static_cast<double>(divisor) / 2) / divisor * divisor);
    if (static_cast<double>(new_filters) < 0.9 * filters) new_filters += divisor;
    return new_filters;
  };
  auto round_repeats = [&](int repeats) {
    return static_cast<int>(std::ceil(family.depth_coefficient * repeats));
  };
  const std::string& activation = family.activation;

  SymbolicTensor x = Rescaling(1.0 / 255.0, 0.0, {.name = iu::auto_name("rescaling")})(img_input);
  x = Normalization({.axis = {3}, .name = iu::auto_name("normalization")})(x);
  x = ZeroPadding2D(iu::correct_pad(x, 3), {.name = "stem_conv_pad"})(x);
  x = Conv2D(round_filters(32), 3, {.strides = 2, .padding = "valid", .use_bias = false,
                                    .kernel_initializer = conv_kernel_initializer(), .name = "stem_conv"})(x);
  x = BatchNormalization({.axis = 3, .name = "stem_bn"})(x);
  x = Activation(activation, {.name = "stem_activation"})(x);

  int total_blocks = 0;
  for (const auto& args : kDefaultBlocksArgs) total_blocks += round_repeats(args.repeats);
  int b = 0;
  for (std::size_t i = 0; i < std::size(kDefaultBlocksArgs); ++i) {
    BlockArgs args = kDefaultBlocksArgs[i];
    args.filters_in = round_filters(static_cast<double>(args.filters_in));
    args.filters_out = round_filters(static_cast<double>(args.filters_out));
    const int repeats = round_repeats(args.repeats);
    for (int j = 0; j < repeats; ++j) {
      if (j > 0) {
        args.strides = 1;
        args.filters_in = args.filters_out;
      }
      const std::string block_name = "block" + std::to_string(i + 1) + static_cast<char>('a' + j) + "_";
      x = block(x, activation, family.drop_connect_rate * b / static_cast<double>(total_blocks), block_name,
                args.filters_in, args.filters_out, args.kernel_size, args.strides, args.expand_ratio, args.se_ratio,
                args.id_skip);
      ++b;
    }
  }

  x = Conv2D(round_filters(1280), 1, {.padding = "same", .use_bias = false,
                                      .kernel_initializer = conv_kernel_initializer(), .name = "top_conv"})(x);
  x = BatchNormalization({.axis = 3, .name = "top_bn"})(x);
  x = Activation(activation, {.name = "top_activation"})(x);
  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    if (family.dropout_rate > 0) x = Dropout(family.dropout_rate, {.name = "top_dropout"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation,
                                .kernel_initializer = dense_kernel_initializer(), .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = "max_pool"})(x);
  }
  return iu::finish_application(options, img_input, x, name);
}

#define STRATA_EFFICIENTNET(VARIANT, NAME, WIDTH, DEPTH, SIZE, DROPOUT)                                   \
  std::shared_ptr<Model> EfficientNet##VARIANT(ApplicationOptions options) {                             \
    return EfficientNet(std::move(options),                                                              \
                        {.width_coefficient = WIDTH, .depth_coefficient = DEPTH, .default_size = SIZE,   \
                         .dropout_rate = DROPOUT},                                                        \
                        NAME);                                                                           \
  }
STRATA_EFFICIENTNET(B0, "efficientnetb0", 1.0, 1.0, 224, 0.2)
STRATA_EFFICIENTNET(B1, "efficientnetb1", 1.0, 1.1, 240, 0.2)
STRATA_EFFICIENTNET(B2, "efficientnetb2", 1.1, 1.2, 260, 0.3)
STRATA_EFFICIENTNET(B3, "efficientnetb3", 1.2, 1.4, 300, 0.3)
STRATA_EFFICIENTNET(B4, "efficientnetb4", 1.4, 1.8, 380, 0.4)
STRATA_EFFICIENTNET(B5, "efficientnetb5", 1.6, 2.2, 456, 0.4)
STRATA_EFFICIENTNET(B6, "efficientnetb6", 1.8, 2.6, 528, 0.5)
STRATA_EFFICIENTNET(B7, "efficientnetb7", 2.0, 3.1, 600, 0.5)
#undef STRATA_EFFICIENTNET

}  // namespace strata::applications
