#include <strata/applications/mobilenet_v2.hpp>

#include <algorithm>
#include <cstdio>

#include <strata/api/errors.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

bool is_weights_size(std::int64_t rows) {
  return rows == 96 || rows == 128 || rows == 160 || rows == 192 || rows == 224;
}

SymbolicTensor bn(SymbolicTensor x, const std::string& name) {
  return BatchNormalization({.axis = -1, .momentum = 0.999, .epsilon = 1e-3, .name = name})(x);
}
SymbolicTensor relu6(SymbolicTensor x, const std::string& name) {
  return ReLU({.max_value = 6.0, .name = name})(x);
}

SymbolicTensor inverted_res_block(SymbolicTensor inputs, std::int64_t expansion, int stride, double alpha,
                                  std::int64_t filters, int block_id) {
  const std::int64_t in_channels = inputs.shape().back();
  const auto pointwise_conv_filters = static_cast<std::int64_t>(static_cast<double>(filters) * alpha);
  const std::int64_t pointwise_filters = mobilenet_v2::make_divisible(static_cast<double>(pointwise_conv_filters), 8);
  SymbolicTensor x = inputs;
  std::string prefix = "block_" + std::to_string(block_id) + "_";
  if (block_id) {
    x = Conv2D(expansion * in_channels, 1, {.padding = "same", .use_bias = false, .name = prefix + "expand"})(x);
    x = relu6(bn(x, prefix + "expand_BN"), prefix + "expand_relu");
  } else {
    prefix = "expanded_conv_";
  }
  if (stride == 2) x = ZeroPadding2D(iu::correct_pad(x, 3), {.name = prefix + "pad"})(x);
  x = DepthwiseConv2D(3, {.strides = stride, .padding = stride == 1 ? "same" : "valid", .use_bias = false,
                          .name = prefix + "depthwise"})(x);
  x = relu6(bn(x, prefix + "depthwise_BN"), prefix + "depthwise_relu");
  x = Conv2D(pointwise_filters, 1, {.padding = "same", .use_bias = false, .name = prefix + "project"})(x);
  x = bn(x, prefix + "project_BN");
  if (in_channels == pointwise_filters && stride == 1) return Add({.name = prefix + "add"})({inputs, x})[0];
  return x;
}

}  // namespace

namespace mobilenet_v2 {
std::int64_t make_divisible(double v, std::int64_t divisor, std::int64_t min_value) {
  if (min_value == 0) min_value = divisor;
  std::int64_t new_v =
      std::max(min_value, static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2) / divisor * divisor);
  if (static_cast<double>(new_v) < 0.9 * v) new_v += divisor;
  return new_v;
}
}  // namespace mobilenet_v2

std::shared_ptr<Model> MobileNetV2(ApplicationOptions options, MobileNetV2Options family) {
  iu::check_application_options(options, "MobileNetV2");
  const double alpha = family.alpha;
  if (alpha <= 0) throw ValueError("MobileNetV2: `alpha` should be positive. Received: alpha=" + std::to_string(alpha));
  if (!options.input_shape.empty() && options.input_tensor && options.input_tensor->shape().size() == 4 &&
      options.input_tensor->shape()[2] != options.input_shape[1])
    throw ValueError("input_tensor.shape[2] must equal input_shape[1]; Received `input_tensor.shape=" +
                     shape_str(options.input_tensor->shape()) + "`, `input_shape=" + shape_str(options.input_shape) +
                     "`");
  // the default size follows a square input among the sizes Keras published weights for
  std::int64_t default_size = 224;
  Shape given = options.input_shape;
  if (given.empty() && options.input_tensor && options.input_tensor->shape().size() == 4)
    given = Shape(options.input_tensor->shape().begin() + 1, options.input_tensor->shape().end());
  if (given.size() == 3 && given[0] == given[1] && is_weights_size(given[0])) default_size = given[0];
  Shape input_shape = iu::obtain_input_shape(options.input_shape, default_size, 32, "channels_last",
                                             options.include_top, options.weights);
  const std::int64_t rows = input_shape[0];
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  SymbolicTensor x = Conv2D(mobilenet_v2::make_divisible(32 * alpha, 8), 3,
                            {.strides = {2, 2}, .padding = "same", .use_bias = false, .name = "Conv1"})(img_input);
  x = relu6(bn(x, "bn_Conv1"), "Conv1_relu");
  struct Block {
    std::int64_t filters;
    int stride, expansion;
  };
  const Block blocks[] = {{16, 1, 1},  {24, 2, 6},  {24, 1, 6},  {32, 2, 6},  {32, 1, 6},  {32, 1, 6},
                          {64, 2, 6},  {64, 1, 6},  {64, 1, 6},  {64, 1, 6},  {96, 1, 6},  {96, 1, 6},
                          {96, 1, 6},  {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
  for (int id = 0; id < 17; ++id)
    x = inverted_res_block(x, blocks[id].expansion, blocks[id].stride, alpha, blocks[id].filters, id);
  const std::int64_t last_block_filters = alpha > 1.0 ? mobilenet_v2::make_divisible(1280 * alpha, 8) : 1280;
  x = Conv2D(last_block_filters, 1, {.use_bias = false, .name = "Conv_1"})(x);
  x = relu6(bn(x, "Conv_1_bn"), "out_relu");
  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = iu::auto_name("global_average_pooling2d")})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = iu::auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = iu::auto_name("global_max_pooling2d")})(x);
  }
  char name[64];
  std::snprintf(name, sizeof name, "mobilenetv2_%0.2f_", alpha);
  return iu::finish_application(options, img_input, x,
                                std::string(name) + (rows < 0 ? "None" : std::to_string(rows)));
}

}  // namespace strata::applications
