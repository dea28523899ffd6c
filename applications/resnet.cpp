#include <strata/applications/resnet.hpp>

#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

constexpr double kBnEpsilon = 1.001e-5;

SymbolicTensor bn(SymbolicTensor x, const std::string& name) {
  return BatchNormalization({.axis = 3, .epsilon = kBnEpsilon, .name = name})(x);
}
SymbolicTensor relu(SymbolicTensor x, const std::string& name) { return Activation("relu", {.name = name})(x); }

SymbolicTensor residual_block_v1(SymbolicTensor x, std::int64_t filters, int kernel_size, int stride,
                                 bool conv_shortcut, const std::string& name) {
  SymbolicTensor shortcut = x;
  if (conv_shortcut) {
    shortcut = Conv2D(4 * filters, 1, {.strides = stride, .name = name + "_0_conv"})(x);
    shortcut = bn(shortcut, name + "_0_bn");
  }
  x = Conv2D(filters, 1, {.strides = stride, .name = name + "_1_conv"})(x);
  x = relu(bn(x, name + "_1_bn"), name + "_1_relu");
  x = Conv2D(filters, kernel_size, {.padding = "same", .name = name + "_2_conv"})(x);
  x = relu(bn(x, name + "_2_bn"), name + "_2_relu");
  x = Conv2D(4 * filters, 1, {.name = name + "_3_conv"})(x);
  x = bn(x, name + "_3_bn");
  x = Add({.name = name + "_add"})({shortcut, x})[0];
  return relu(x, name + "_out");
}

SymbolicTensor residual_block_v2(SymbolicTensor x, std::int64_t filters, int kernel_size, int stride,
                                 bool conv_shortcut, const std::string& name) {
  SymbolicTensor preact = relu(bn(x, name + "_preact_bn"), name + "_preact_relu");
  SymbolicTensor shortcut = x;
  if (conv_shortcut)
    shortcut = Conv2D(4 * filters, 1, {.strides = stride, .name = name + "_0_conv"})(preact);
  else if (stride > 1)
    shortcut = MaxPooling2D(1, {.strides = stride, .name = iu::auto_name("max_pooling2d")})(x);
  x = Conv2D(filters, 1, {.strides = 1, .use_bias = false, .name = name + "_1_conv"})(preact);
  x = relu(bn(x, name + "_1_bn"), name + "_1_relu");
  x = ZeroPadding2D({{1, 1}, {1, 1}}, {.name = name + "_2_pad"})(x);
  x = Conv2D(filters, kernel_size, {.strides = stride, .use_bias = false, .name = name + "_2_conv"})(x);
  x = relu(bn(x, name + "_2_bn"), name + "_2_relu");
  x = Conv2D(4 * filters, 1, {.name = name + "_3_conv"})(x);
  return Add({.name = name + "_out"})({shortcut, x})[0];
}

}  // namespace

namespace resnet {

SymbolicTensor stack_residual_blocks_v1(SymbolicTensor x, std::int64_t filters, int blocks, int stride1,
                                        const std::string& name) {
  x = residual_block_v1(x, filters, 3, stride1, true, name + "_block1");
  for (int i = 2; i <= blocks; ++i) x = residual_block_v1(x, filters, 3, 1, false, name + "_block" + std::to_string(i));
  return x;
}

SymbolicTensor stack_residual_blocks_v2(SymbolicTensor x, std::int64_t filters, int blocks, int stride1,
                                        const std::string& name) {
  x = residual_block_v2(x, filters, 3, 1, true, name + "_block1");
  for (int i = 2; i < blocks; ++i) x = residual_block_v2(x, filters, 3, 1, false, name + "_block" + std::to_string(i));
  return residual_block_v2(x, filters, 3, stride1, false, name + "_block" + std::to_string(blocks));
}

std::shared_ptr<Model> ResNet(const std::function<SymbolicTensor(SymbolicTensor)>& stack_fn, bool preact,
                              bool use_bias, ApplicationOptions options, const std::string& default_name,
                              const std::string& application) {
  iu::check_application_options(options, application);
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 224, 32, "channels_last", options.include_top,
                                             options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);
  SymbolicTensor x = ZeroPadding2D({{3, 3}, {3, 3}}, {.name = "conv1_pad"})(img_input);
  x = Conv2D(64, 7, {.strides = 2, .use_bias = use_bias, .name = "conv1_conv"})(x);
  if (!preact) x = relu(bn(x, "conv1_bn"), "conv1_relu");
  x = ZeroPadding2D({{1, 1}, {1, 1}}, {.name = "pool1_pad"})(x);
  x = MaxPooling2D(3, {.strides = 2, .name = "pool1_pool"})(x);
  x = stack_fn(x);
  if (preact) x = relu(bn(x, "post_bn"), "post_relu");
  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = "max_pool"})(x);
  }
  return iu::finish_application(options, img_input, x, default_name);
}

}  // namespace resnet

namespace {
std::shared_ptr<Model> resnet_v1(ApplicationOptions options, int conv3_blocks, int conv4_blocks,
                                 const std::string& default_name, const std::string& application) {
  return resnet::ResNet(
      [&](SymbolicTensor x) {
        x = resnet::stack_residual_blocks_v1(x, 64, 3, 1, "conv2");
        x = resnet::stack_residual_blocks_v1(x, 128, conv3_blocks, 2, "conv3");
        x = resnet::stack_residual_blocks_v1(x, 256, conv4_blocks, 2, "conv4");
        return resnet::stack_residual_blocks_v1(x, 512, 3, 2, "conv5");
      },
      false, true, std::move(options), default_name, application);
}
}  // namespace

std::shared_ptr<Model> ResNet50(ApplicationOptions options) {
  return resnet_v1(std::move(options), 4, 6, "resnet50", "ResNet50");
}
std::shared_ptr<Model> ResNet101(ApplicationOptions options) {
  return resnet_v1(std::move(options), 4, 23, "resnet101", "ResNet101");
}
std::shared_ptr<Model> ResNet152(ApplicationOptions options) {
  return resnet_v1(std::move(options), 8, 36, "resnet152", "ResNet152");
}

}  // namespace strata::applications
