#include <strata/applications/mobilenet.hpp>

#include <cstdio>

#include <strata/api/errors.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

SymbolicTensor conv_block(SymbolicTensor inputs, std::int64_t filters, double alpha) {
  filters = static_cast<std::int64_t>(static_cast<double>(filters) * alpha);
  SymbolicTensor x = Conv2D(filters, {3, 3},
                            {.strides = {2, 2}, .padding = "same", .use_bias = false, .name = "conv1"})(inputs);
  x = BatchNormalization({.axis = -1, .name = "conv1_bn"})(x);
  return ReLU({.max_value = 6.0, .name = "conv1_relu"})(x);
}

SymbolicTensor depthwise_conv_block(SymbolicTensor inputs, std::int64_t pointwise_conv_filters, double alpha,
                                    std::int64_t depth_multiplier, int stride, int block_id) {
  pointwise_conv_filters = static_cast<std::int64_t>(static_cast<double>(pointwise_conv_filters) * alpha);
  const std::string id = std::to_string(block_id);
  SymbolicTensor x = inputs;
  if (stride != 1) x = ZeroPadding2D({{0, 1}, {0, 1}}, {.name = "conv_pad_" + id})(inputs);
  x = DepthwiseConv2D({3, 3}, {.depth_multiplier = depth_multiplier, .strides = {stride, stride},
                               .padding = stride == 1 ? "same" : "valid", .use_bias = false,
                               .name = "conv_dw_" + id})(x);
  x = BatchNormalization({.axis = -1, .name = "conv_dw_" + id + "_bn"})(x);
  x = ReLU({.max_value = 6.0, .name = "conv_dw_" + id + "_relu"})(x);
  x = Conv2D(pointwise_conv_filters, {1, 1},
             {.strides = {1, 1}, .padding = "same", .use_bias = false, .name = "conv_pw_" + id})(x);
  x = BatchNormalization({.axis = -1, .name = "conv_pw_" + id + "_bn"})(x);
  return ReLU({.max_value = 6.0, .name = "conv_pw_" + id + "_relu"})(x);
}

}  // namespace

std::shared_ptr<Model> MobileNet(ApplicationOptions options, MobileNetOptions family) {
  iu::check_application_options(options, "MobileNet");
  const double alpha = family.alpha;
  if (alpha <= 0) throw ValueError("MobileNet: `alpha` should be positive. Received: alpha=" + std::to_string(alpha));
  if (family.depth_multiplier < 1)
    throw ValueError("MobileNet: `depth_multiplier` should be a positive integer. Received: depth_multiplier=" +
                     std::to_string(family.depth_multiplier));
  std::int64_t default_size = 224;
  const Shape& given = options.input_shape;
  if (given.size() == 3 && given[0] == given[1] &&
      (given[0] == 128 || given[0] == 160 || given[0] == 192 || given[0] == 224))
    default_size = given[0];
  Shape input_shape = iu::obtain_input_shape(options.input_shape, default_size, 32, "channels_last",
                                             options.include_top, options.weights);
  const std::int64_t rows = input_shape[0];
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  const std::int64_t dm = family.depth_multiplier;
  SymbolicTensor x = conv_block(img_input, 32, alpha);
  struct Block {
    std::int64_t filters;
    int stride;
  };
  const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  for (int id = 1; id <= 13; ++id)
    x = depthwise_conv_block(x, blocks[id - 1].filters, alpha, dm, blocks[id - 1].stride, id);

  if (options.include_top) {
    x = GlobalAveragePooling2D({.keepdims = true, .name = iu::auto_name("global_average_pooling2d")})(x);
    x = Dropout(family.dropout, {.name = "dropout"})(x);
    x = Conv2D(options.classes, {1, 1}, {.padding = "same", .name = "conv_preds"})(x);
    x = Reshape({options.classes}, {.name = "reshape_2"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Activation(options.classifier_activation, {.name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = iu::auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = iu::auto_name("global_max_pooling2d")})(x);
  }
  char name[64];
  std::snprintf(name, sizeof name, "mobilenet_%0.2f_", alpha);
  return iu::finish_application(options, img_input, x,
                                std::string(name) + (rows < 0 ? "None" : std::to_string(rows)));
}

}  // namespace strata::applications
