#include <strata/applications/densenet.hpp>

#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

SymbolicTensor bn(SymbolicTensor x, const std::string& name) {
  return BatchNormalization({.axis = 3, .epsilon = 1.001e-5, .name = name})(x);
}
SymbolicTensor relu(SymbolicTensor x, const std::string& name) { return Activation("relu", {.name = name})(x); }

SymbolicTensor conv_block(SymbolicTensor x, std::int64_t growth_rate, const std::string& name) {
  SymbolicTensor x1 = relu(bn(x, name + "_0_bn"), name + "_0_relu");
  x1 = Conv2D(4 * growth_rate, 1, {.use_bias = false, .name = name + "_1_conv"})(x1);
  x1 = relu(bn(x1, name + "_1_bn"), name + "_1_relu");
  x1 = Conv2D(growth_rate, 3, {.padding = "same", .use_bias = false, .name = name + "_2_conv"})(x1);
  return Concatenate(3, {.name = name + "_concat"})({x, x1})[0];
}

SymbolicTensor dense_block(SymbolicTensor x, int blocks, const std::string& name) {
  for (int i = 0; i < blocks; ++i) x = conv_block(x, 32, name + "_block" + std::to_string(i + 1));
  return x;
}

SymbolicTensor transition_block(SymbolicTensor x, double reduction, const std::string& name) {
  x = relu(bn(x, name + "_bn"), name + "_relu");
  x = Conv2D(static_cast<std::int64_t>(static_cast<double>(x.shape()[3]) * reduction), 1,
             {.use_bias = false, .name = name + "_conv"})(x);
  return AveragePooling2D(2, {.strides = 2, .name = name + "_pool"})(x);
}

}  // namespace

std::shared_ptr<Model> DenseNet(std::array<int, 4> blocks, ApplicationOptions options) {
  iu::check_application_options(options, "DenseNet");
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 224, 32, "channels_last", options.include_top,
                                             options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);
  SymbolicTensor x = ZeroPadding2D({{3, 3}, {3, 3}}, {.name = iu::auto_name("zero_padding2d")})(img_input);
  x = Conv2D(64, 7, {.strides = 2, .use_bias = false, .name = "conv1_conv"})(x);
  x = relu(bn(x, "conv1_bn"), "conv1_relu");
  x = ZeroPadding2D({{1, 1}, {1, 1}}, {.name = iu::auto_name("zero_padding2d")})(x);
  x = MaxPooling2D(3, {.strides = 2, .name = "pool1"})(x);
  x = dense_block(x, blocks[0], "conv2");
  x = transition_block(x, 0.5, "pool2");
  x = dense_block(x, blocks[1], "conv3");
  x = transition_block(x, 0.5, "pool3");
  x = dense_block(x, blocks[2], "conv4");
  x = transition_block(x, 0.5, "pool4");
  x = dense_block(x, blocks[3], "conv5");
  x = relu(bn(x, "bn"), "relu");
  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = "max_pool"})(x);
  }
  return iu::finish_application(options, img_input, x, "densenet");
}

std::shared_ptr<Model> DenseNet121(ApplicationOptions options) {
  if (options.name.empty()) options.name = "densenet121";
  return DenseNet({6, 12, 24, 16}, std::move(options));
}
std::shared_ptr<Model> DenseNet169(ApplicationOptions options) {
  if (options.name.empty()) options.name = "densenet169";
  return DenseNet({6, 12, 32, 32}, std::move(options));
}
std::shared_ptr<Model> DenseNet201(ApplicationOptions options) {
  if (options.name.empty()) options.name = "densenet201";
  return DenseNet({6, 12, 48, 32}, std::move(options));
}

}  // namespace strata::applications
