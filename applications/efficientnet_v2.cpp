#include <strata/applications/efficientnet_v2.hpp>

#include <cmath>
#include <map>

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
  int kernel_size, num_repeat;
  std::int64_t input_filters, output_filters;
  int expand_ratio;
  double se_ratio;
  int strides;
  int conv_type;  // 0: MBConv, 1: FusedMBConv
};

using Blocks = std::vector<BlockArgs>;

const std::map<std::string, Blocks>& default_blocks_args() {
  static const Blocks b_variants = {
      {3, 1, 32, 16, 1, 0, 1, 1},      {3, 2, 16, 32, 4, 0, 2, 1},      {3, 2, 32, 48, 4, 0, 2, 1},
      {3, 3, 48, 96, 4, 0.25, 2, 0},   {3, 5, 96, 112, 6, 0.25, 1, 0},  {3, 8, 112, 192, 6, 0.25, 2, 0},
  };
  static const std::map<std::string, Blocks> args = {
      {"efficientnetv2-s",
       {{3, 2, 24, 24, 1, 0, 1, 1}, {3, 4, 24, 48, 4, 0, 2, 1}, {3, 4, 48, 64, 4, 0, 2, 1},
        {3, 6, 64, 128, 4, 0.25, 2, 0}, {3, 9, 128, 160, 6, 0.25, 1, 0}, {3, 15, 160, 256, 6, 0.25, 2, 0}}},
      {"efficientnetv2-m",
       {{3, 3, 24, 24, 1, 0, 1, 1}, {3, 5, 24, 48, 4, 0, 2, 1}, {3, 5, 48, 80, 4, 0, 2, 1},
        {3, 7, 80, 160, 4, 0.25, 2, 0}, {3, 14, 160, 176, 6, 0.25, 1, 0}, {3, 18, 176, 304, 6, 0.25, 2, 0},
        {3, 5, 304, 512, 6, 0.25, 1, 0}}},
      {"efficientnetv2-l",
       {{3, 4, 32, 32, 1, 0, 1, 1}, {3, 7, 32, 64, 4, 0, 2, 1}, {3, 7, 64, 96, 4, 0, 2, 1},
        {3, 10, 96, 192, 4, 0.25, 2, 0}, {3, 19, 192, 224, 6, 0.25, 1, 0}, {3, 25, 224, 384, 6, 0.25, 2, 0},
        {3, 7, 384, 640, 6, 0.25, 1, 0}}},
      {"efficientnetv2-b0", b_variants},
      {"efficientnetv2-b1", b_variants},
      {"efficientnetv2-b2", b_variants},
      {"efficientnetv2-b3", b_variants},
  };
  return args;
}

SymbolicTensor bn(SymbolicTensor x, const std::string& name) {
  return BatchNormalization({.axis = 3, .momentum = 0.9, .name = name})(x);
}

SymbolicTensor squeeze_excite(SymbolicTensor x, std::int64_t input_filters, std::int64_t filters, double se_ratio,
                              const std::string& activation, const std::string& name) {
  const std::int64_t filters_se = std::max<std::int64_t>(1, static_cast<std::int64_t>(input_filters * se_ratio));
  SymbolicTensor se = GlobalAveragePooling2D({.name = name + "se_squeeze"})(x);
  se = Reshape({1, 1, filters}, {.name = name + "se_reshape"})(se);
  se = Conv2D(filters_se, 1, {.padding = "same", .activation = activation,
                              .kernel_initializer = conv_kernel_initializer(), .name = name + "se_reduce"})(se);
  se = Conv2D(filters, 1, {.padding = "same", .activation = "sigmoid",
                           .kernel_initializer = conv_kernel_initializer(), .name = name + "se_expand"})(se);
  return Multiply({.name = name + "se_excite"})({x, se}).front();
}

// drop_rate: Keras's `survival_probability` argument, which it passes to Dropout as the rate
SymbolicTensor residual(SymbolicTensor x, SymbolicTensor inputs, const BlockArgs& a, double drop_rate,
                        const std::string& name) {
  if (a.strides == 1 && a.input_filters == a.output_filters) {
    if (drop_rate > 0) x = Dropout(drop_rate, {.noise_shape = {-1, 1, 1, 1}, .name = name + "drop"})(x);
    x = Add({.name = name + "add"})({x, inputs}).front();
  }
  return x;
}

SymbolicTensor mb_conv_block(SymbolicTensor inputs, const BlockArgs& a, const std::string& activation,
                             double drop_rate, const std::string& name) {
  const std::int64_t filters = a.input_filters * a.expand_ratio;
  SymbolicTensor x = inputs;
  if (a.expand_ratio != 1) {
    x = Conv2D(filters, 1, {.strides = 1, .padding = "same", .use_bias = false,
                            .kernel_initializer = conv_kernel_initializer(), .name = name + "expand_conv"})(inputs);
    x = bn(x, name + "expand_bn");
    x = Activation(activation, {.name = name + "expand_activation"})(x);
  }
  x = DepthwiseConv2D(a.kernel_size, {.strides = a.strides, .padding = "same", .use_bias = false,
                                      .depthwise_initializer = conv_kernel_initializer(), .name = name + "dwconv2"})(x);
  x = bn(x, name + "bn");
  x = Activation(activation, {.name = name + "activation"})(x);
  if (0 < a.se_ratio && a.se_ratio <= 1) x = squeeze_excite(x, a.input_filters, filters, a.se_ratio, activation, name);
  x = Conv2D(a.output_filters, 1, {.strides = 1, .padding = "same", .use_bias = false,
                                   .kernel_initializer = conv_kernel_initializer(), .name = name + "project_conv"})(x);
  x = bn(x, name + "project_bn");
  return residual(x, inputs, a, drop_rate, name);
}

SymbolicTensor fused_mb_conv_block(SymbolicTensor inputs, const BlockArgs& a, const std::string& activation,
                                   double drop_rate, const std::string& name) {
  const std::int64_t filters = a.input_filters * a.expand_ratio;
  SymbolicTensor x = inputs;
  if (a.expand_ratio != 1) {
    x = Conv2D(filters, a.kernel_size, {.strides = a.strides, .padding = "same", .use_bias = false,
                                        .kernel_initializer = conv_kernel_initializer(),
                                        .name = name + "expand_conv"})(inputs);
    x = bn(x, name + "expand_bn");
    x = Activation(activation, {.name = name + "expand_activation"})(x);
  }
  if (0 < a.se_ratio && a.se_ratio <= 1) x = squeeze_excite(x, a.input_filters, filters, a.se_ratio, activation, name);
  const bool expanded = a.expand_ratio != 1;
  x = Conv2D(a.output_filters, expanded ? 1 : a.kernel_size,
             {.strides = expanded ? 1 : a.strides, .padding = "same", .use_bias = false,
              .kernel_initializer = conv_kernel_initializer(), .name = name + "project_conv"})(x);
  x = bn(x, name + "project_bn");
  if (!expanded) x = Activation(activation, {.name = name + "project_activation"})(x);
  return residual(x, inputs, a, drop_rate, name);
}

}  // namespace

std::shared_ptr<Model> EfficientNetV2(const std::string& variant, double width_coefficient, double depth_coefficient,
                                      std::int64_t default_size, ApplicationOptions options,
                                      EfficientNetV2Options family) {
  auto found = default_blocks_args().find(variant);
  if (found == default_blocks_args().end())
    throw ValueError("EfficientNetV2: unknown variant '" + variant + "'; expected efficientnetv2-b0..b3, -s, -m or -l");
  iu::check_application_options(options, variant);
  const double drop_connect_rate = 0.2, dropout_rate = 0.2;
  const std::int64_t depth_divisor = 8, min_depth = 8;
  const std::string activation = "swish";
  Shape input_shape = iu::obtain_input_shape(options.input_shape, default_size, 32, "channels_last",
                                             options.include_top, options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  auto round_filters = [&](double filters) {
    filters *= width_coefficient;
    return std::max<std::int64_t>(min_depth, static_cast<std::int64_t>(filters + depth_divisor / 2.0) /
                                                 depth_divisor * depth_divisor);
  };
  auto round_repeats = [&](int repeats) { return static_cast<int>(std::ceil(depth_coefficient * repeats)); };

  SymbolicTensor x = img_input;
  if (family.include_preprocessing) {
    const std::int64_t num_channels = input_shape[2];
    const bool b_variant = variant.substr(variant.rfind('-') + 1).starts_with("b");
    if (b_variant && num_channels == 3) {
      x = Rescaling(1.0 / 255, 0.0, {.name = iu::auto_name("rescaling")})(x);
      x = Normalization({.axis = {3}, .mean = {0.485, 0.456, 0.406},
                         .variance = {0.229 * 0.229, 0.224 * 0.224, 0.225 * 0.225},
                         .name = iu::auto_name("normalization")})(x);
    } else {
      x = Rescaling(1.0 / 128.0, -1, {.name = iu::auto_name("rescaling")})(x);
    }
  }
  Blocks blocks_args = found->second;
  x = Conv2D(round_filters(static_cast<double>(blocks_args[0].input_filters)), 3,
             {.strides = 2, .padding = "same", .use_bias = false, .kernel_initializer = conv_kernel_initializer(),
              .name = "stem_conv"})(x);
  x = bn(x, "stem_bn");
  x = Activation(activation, {.name = "stem_activation"})(x);

  int b = 0;
  double blocks = 0;
  for (const auto& a : blocks_args) blocks += a.num_repeat;  // Keras sums the unrounded repeats here
  for (std::size_t i = 0; i < blocks_args.size(); ++i) {
    BlockArgs args = blocks_args[i];
    args.input_filters = round_filters(static_cast<double>(args.input_filters));
    args.output_filters = round_filters(static_cast<double>(args.output_filters));
    const int repeats = round_repeats(args.num_repeat);
    for (int j = 0; j < repeats; ++j) {
      if (j > 0) {
        args.strides = 1;
        args.input_filters = args.output_filters;
      }
      const std::string name = "block" + std::to_string(i + 1) + static_cast<char>('a' + j) + "_";
      const double drop_rate = drop_connect_rate * b / blocks;
      x = args.conv_type == 0 ? mb_conv_block(x, args, activation, drop_rate, name)
                              : fused_mb_conv_block(x, args, activation, drop_rate, name);
      ++b;
    }
  }

  x = Conv2D(round_filters(1280), 1, {.strides = 1, .padding = "same", .use_bias = false,
                                      .kernel_initializer = conv_kernel_initializer(), .name = "top_conv"})(x);
  x = bn(x, "top_bn");
  x = Activation(activation, {.name = "top_activation"})(x);
  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    if (dropout_rate > 0) x = Dropout(dropout_rate, {.name = "top_dropout"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation,
                                .kernel_initializer = dense_kernel_initializer(),
                                .bias_initializer = initializers::Constant(0.0), .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = "max_pool"})(x);
  }
  return iu::finish_application(options, img_input, x, variant);
}

std::shared_ptr<Model> EfficientNetV2B0(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-b0", 1.0, 1.0, 224, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2B1(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-b1", 1.0, 1.1, 240, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2B2(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-b2", 1.1, 1.2, 260, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2B3(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-b3", 1.2, 1.4, 300, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2S(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-s", 1.0, 1.0, 384, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2M(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-m", 1.0, 1.0, 480, std::move(options), family);
}
std::shared_ptr<Model> EfficientNetV2L(ApplicationOptions options, EfficientNetV2Options family) {
  return EfficientNetV2("efficientnetv2-l", 1.0, 1.0, 480, std::move(options), family);
}

}  // namespace strata::applications
