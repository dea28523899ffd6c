#include <strata/applications/xception.hpp>

#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

// Keras names the unnamed layers when it creates them; naming them here keeps its numbering (conv2d, conv2d_1, ...)
std::string auto_name(const char* base) { return imagenet_utils::auto_name(base); }

SymbolicTensor bn(SymbolicTensor x, const std::string& name = "") {
  return BatchNormalization({.axis = -1, .name = name.empty() ? auto_name("batch_normalization") : name})(x);
}
SymbolicTensor relu(SymbolicTensor x, const std::string& name) { return Activation("relu", {.name = name})(x); }
SymbolicTensor sepconv(SymbolicTensor x, std::int64_t filters, const std::string& name) {
  return SeparableConv2D(filters, {3, 3}, {.padding = "same", .use_bias = false, .name = name})(x);
}
SymbolicTensor shortcut(SymbolicTensor x, std::int64_t filters) {
  x = Conv2D(filters, {1, 1}, {.strides = {2, 2}, .padding = "same", .use_bias = false, .name = auto_name("conv2d")})(x);
  return bn(x);
}
SymbolicTensor add(SymbolicTensor a, SymbolicTensor b) { return Add({.name = auto_name("add")})({a, b})[0]; }
SymbolicTensor pool(SymbolicTensor x, const std::string& name) {
  return MaxPooling2D({3, 3}, {.strides = {2, 2}, .padding = "same", .name = name})(x);
}

}  // namespace

std::shared_ptr<Model> Xception(ApplicationOptions options) {
  iu::check_application_options(options, "Xception");
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 299, 71, "channels_last", options.include_top,
                                             options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  SymbolicTensor x = Conv2D(32, {3, 3}, {.strides = {2, 2}, .use_bias = false, .name = "block1_conv1"})(img_input);
  x = relu(bn(x, "block1_conv1_bn"), "block1_conv1_act");
  x = Conv2D(64, {3, 3}, {.use_bias = false, .name = "block1_conv2"})(x);
  x = relu(bn(x, "block1_conv2_bn"), "block1_conv2_act");

  SymbolicTensor residual = shortcut(x, 128);
  x = sepconv(x, 128, "block2_sepconv1");
  x = relu(bn(x, "block2_sepconv1_bn"), "block2_sepconv2_act");
  x = sepconv(x, 128, "block2_sepconv2");
  x = bn(x, "block2_sepconv2_bn");
  x = pool(x, "block2_pool");
  x = add(x, residual);

  for (auto [block, filters] : {std::pair{3, 256}, std::pair{4, 728}}) {
    const std::string p = "block" + std::to_string(block);
    residual = shortcut(x, filters);
    x = relu(x, p + "_sepconv1_act");
    x = sepconv(x, filters, p + "_sepconv1");
    x = relu(bn(x, p + "_sepconv1_bn"), p + "_sepconv2_act");
    x = sepconv(x, filters, p + "_sepconv2");
    x = bn(x, p + "_sepconv2_bn");
    x = pool(x, p + "_pool");
    x = add(x, residual);
  }

  for (int i = 0; i < 8; ++i) {
    residual = x;
    const std::string p = "block" + std::to_string(i + 5);
    x = relu(x, p + "_sepconv1_act");
    x = bn(sepconv(x, 728, p + "_sepconv1"), p + "_sepconv1_bn");
    x = relu(x, p + "_sepconv2_act");
    x = bn(sepconv(x, 728, p + "_sepconv2"), p + "_sepconv2_bn");
    x = relu(x, p + "_sepconv3_act");
    x = bn(sepconv(x, 728, p + "_sepconv3"), p + "_sepconv3_bn");
    x = add(x, residual);
  }

  residual = shortcut(x, 1024);
  x = relu(x, "block13_sepconv1_act");
  x = bn(sepconv(x, 728, "block13_sepconv1"), "block13_sepconv1_bn");
  x = relu(x, "block13_sepconv2_act");
  x = bn(sepconv(x, 1024, "block13_sepconv2"), "block13_sepconv2_bn");
  x = pool(x, "block13_pool");
  x = add(x, residual);

  x = relu(bn(sepconv(x, 1536, "block14_sepconv1"), "block14_sepconv1_bn"), "block14_sepconv1_act");
  x = relu(bn(sepconv(x, 2048, "block14_sepconv2"), "block14_sepconv2_bn"), "block14_sepconv2_act");

  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = auto_name("global_max_pooling2d")})(x);
  }
  return iu::finish_application(options, img_input, x, "xception");
}

}  // namespace strata::applications
