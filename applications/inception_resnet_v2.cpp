#include <strata/applications/inception_resnet_v2.hpp>

#include <strata/api/errors.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace inception_resnet_v2 {

void CustomScaleLayer::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 2 || input_shapes[0] != input_shapes[1])
    throw ValueError(where() + "expects 2 inputs [x, residual] of one shape. Received: " +
                     std::to_string(input_shapes.size()) + " inputs" +
                     (input_shapes.size() == 2 ? ", shapes " + shape_str(input_shapes[0]) + " and " +
                                                     shape_str(input_shapes[1])
                                               : std::string()));
}

std::vector<Value> CustomScaleLayer::call(const std::vector<Value>& inputs, CallContext& ctx) {
  if (inputs.size() != 2)
    throw ValueError(where() + "expects 2 inputs [x, residual]. Received: " + std::to_string(inputs.size()));
  return {inputs[0] + inputs[1] * static_cast<float>(scale_)};
}

nlohmann::json CustomScaleLayer::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["scale"] = scale_;
  return c;
}

std::shared_ptr<CustomScaleLayer> CustomScaleLayer::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "CustomScaleLayer");
  auto layer = std::make_shared<CustomScaleLayer>(config.at("scale").get<double>(), c.name());
  c.apply_base(*layer);
  return layer;
}

}  // namespace inception_resnet_v2

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;
using ST = SymbolicTensor;

// Keras names the unnamed layers when it creates them; naming them here keeps its numbering (conv2d, conv2d_1, ...)
std::string auto_name(const char* base) { return imagenet_utils::auto_name(base); }

ST conv2d_bn(ST x, std::int64_t filters, SpatialSize kernel_size, int strides = 1, const std::string& padding = "same",
             const std::string& activation = "relu", bool use_bias = false, const std::string& name = "") {
  x = Conv2D(filters, std::move(kernel_size),
             {.strides = strides, .padding = padding, .use_bias = use_bias,
              .name = name.empty() ? auto_name("conv2d") : name})(x);
  if (!use_bias)
    x = BatchNormalization(
        {.axis = 3, .scale = false, .name = name.empty() ? auto_name("batch_normalization") : name + "_bn"})(x);
  if (!activation.empty())
    x = Activation(activation, {.name = name.empty() ? auto_name("activation") : name + "_ac"})(x);
  return x;
}

ST inception_resnet_block(ST x, double scale, const std::string& block_type, int block_idx,
                          const std::string& activation = "relu") {
  std::vector<ST> branches;
  if (block_type == "block35") {
    ST branch_0 = conv2d_bn(x, 32, 1);
    ST branch_1 = conv2d_bn(x, 32, 1);
    branch_1 = conv2d_bn(branch_1, 32, 3);
    ST branch_2 = conv2d_bn(x, 32, 1);
    branch_2 = conv2d_bn(branch_2, 48, 3);
    branch_2 = conv2d_bn(branch_2, 64, 3);
    branches = {branch_0, branch_1, branch_2};
  } else if (block_type == "block17") {
    ST branch_0 = conv2d_bn(x, 192, 1);
    ST branch_1 = conv2d_bn(x, 128, 1);
    branch_1 = conv2d_bn(branch_1, 160, {1, 7});
    branch_1 = conv2d_bn(branch_1, 192, {7, 1});
    branches = {branch_0, branch_1};
  } else {  // block8
    ST branch_0 = conv2d_bn(x, 192, 1);
    ST branch_1 = conv2d_bn(x, 192, 1);
    branch_1 = conv2d_bn(branch_1, 224, {1, 3});
    branch_1 = conv2d_bn(branch_1, 256, {3, 1});
    branches = {branch_0, branch_1};
  }
  const std::string block_name = block_type + "_" + std::to_string(block_idx);
  ST mixed = Concatenate(3, {.name = block_name + "_mixed"})(branches)[0];
  ST up = conv2d_bn(mixed, x.shape()[3], 1, 1, "same", "", true, block_name + "_conv");
  x = inception_resnet_v2::CustomScaleLayer(scale, auto_name("custom_scale_layer"))({x, up})[0];
  if (!activation.empty()) x = Activation(activation, {.name = block_name + "_ac"})(x);
  return x;
}

}  // namespace

std::shared_ptr<Model> InceptionResNetV2(ApplicationOptions options) {
  iu::check_application_options(options, "InceptionResNetV2");
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 299, 75, "channels_last", options.include_top,
                                             options.weights);
  ST img_input = iu::application_input(options, input_shape);

  ST x = conv2d_bn(img_input, 32, 3, 2, "valid");
  x = conv2d_bn(x, 32, 3, 1, "valid");
  x = conv2d_bn(x, 64, 3);
  x = MaxPooling2D(3, {.strides = 2, .name = auto_name("max_pooling2d")})(x);
  x = conv2d_bn(x, 80, 1, 1, "valid");
  x = conv2d_bn(x, 192, 3, 1, "valid");
  x = MaxPooling2D(3, {.strides = 2, .name = auto_name("max_pooling2d")})(x);

  // mixed 5b (Inception-A block): 35 x 35 x 320
  {
    ST branch_0 = conv2d_bn(x, 96, 1);
    ST branch_1 = conv2d_bn(x, 48, 1);
    branch_1 = conv2d_bn(branch_1, 64, 5);
    ST branch_2 = conv2d_bn(x, 64, 1);
    branch_2 = conv2d_bn(branch_2, 96, 3);
    branch_2 = conv2d_bn(branch_2, 96, 3);
    ST branch_pool = AveragePooling2D(3, {.strides = 1, .padding = "same", .name = auto_name("average_pooling2d")})(x);
    branch_pool = conv2d_bn(branch_pool, 64, 1);
    x = Concatenate(3, {.name = "mixed_5b"})({branch_0, branch_1, branch_2, branch_pool})[0];
  }
  for (int i = 1; i <= 10; ++i) x = inception_resnet_block(x, 0.17, "block35", i);

  // mixed 6a (Reduction-A block): 17 x 17 x 1088
  {
    ST branch_0 = conv2d_bn(x, 384, 3, 2, "valid");
    ST branch_1 = conv2d_bn(x, 256, 1);
    branch_1 = conv2d_bn(branch_1, 256, 3);
    branch_1 = conv2d_bn(branch_1, 384, 3, 2, "valid");
    ST branch_pool = MaxPooling2D(3, {.strides = 2, .padding = "valid", .name = auto_name("max_pooling2d")})(x);
    x = Concatenate(3, {.name = "mixed_6a"})({branch_0, branch_1, branch_pool})[0];
  }
  for (int i = 1; i <= 20; ++i) x = inception_resnet_block(x, 0.1, "block17", i);

  // mixed 7a (Reduction-B block): 8 x 8 x 2080
  {
    ST branch_0 = conv2d_bn(x, 256, 1);
    branch_0 = conv2d_bn(branch_0, 384, 3, 2, "valid");
    ST branch_1 = conv2d_bn(x, 256, 1);
    branch_1 = conv2d_bn(branch_1, 288, 3, 2, "valid");
    ST branch_2 = conv2d_bn(x, 256, 1);
    branch_2 = conv2d_bn(branch_2, 288, 3);
    branch_2 = conv2d_bn(branch_2, 320, 3, 2, "valid");
    ST branch_pool = MaxPooling2D(3, {.strides = 2, .padding = "valid", .name = auto_name("max_pooling2d")})(x);
    x = Concatenate(3, {.name = "mixed_7a"})({branch_0, branch_1, branch_2, branch_pool})[0];
  }
  for (int i = 1; i <= 9; ++i) x = inception_resnet_block(x, 0.2, "block8", i);
  x = inception_resnet_block(x, 1.0, "block8", 10, "");

  x = conv2d_bn(x, 1536, 1, 1, "same", "relu", false, "conv_7b");

  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = auto_name("global_max_pooling2d")})(x);
  }
  return iu::finish_application(options, img_input, x, "inception_resnet_v2");
}

}  // namespace strata::applications
