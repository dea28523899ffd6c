#include <strata/applications/inception_v3.hpp>

#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;
using ST = SymbolicTensor;

// Keras names the unnamed layers when it creates them; naming them here keeps its numbering (conv2d, conv2d_1, ...)
std::string auto_name(const char* base) { return imagenet_utils::auto_name(base); }

ST conv2d_bn(ST x, std::int64_t filters, int rows, int cols, const std::string& padding = "same", int stride = 1) {
  x = Conv2D(filters, {rows, cols},
             {.strides = {stride, stride}, .padding = padding, .use_bias = false, .name = auto_name("conv2d")})(x);
  x = BatchNormalization({.axis = 3, .scale = false, .name = auto_name("batch_normalization")})(x);
  return Activation("relu", {.name = auto_name("activation")})(x);
}
ST avg_pool_same(ST x) {
  return AveragePooling2D({3, 3}, {.strides = {1, 1}, .padding = "same", .name = auto_name("average_pooling2d")})(x);
}
ST max_pool(ST x) { return MaxPooling2D({3, 3}, {.strides = {2, 2}, .name = auto_name("max_pooling2d")})(x); }
ST concat(std::vector<ST> xs, std::string name = "") {
  return Concatenate(3, {.name = name.empty() ? auto_name("concatenate") : name})(xs)[0];
}

}  // namespace

std::shared_ptr<Model> InceptionV3(ApplicationOptions options) {
  iu::check_application_options(options, "InceptionV3");
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 299, 75, "channels_last", options.include_top,
                                             options.weights);
  ST img_input = iu::application_input(options, input_shape);

  ST x = conv2d_bn(img_input, 32, 3, 3, "valid", 2);
  x = conv2d_bn(x, 32, 3, 3, "valid");
  x = conv2d_bn(x, 64, 3, 3);
  x = max_pool(x);
  x = conv2d_bn(x, 80, 1, 1, "valid");
  x = conv2d_bn(x, 192, 3, 3, "valid");
  x = max_pool(x);

  // mixed 0, 1, 2: 35 x 35 x 256 / 288
  for (int i = 0; i < 3; ++i) {
    ST branch1x1 = conv2d_bn(x, 64, 1, 1);
    ST branch5x5 = conv2d_bn(x, 48, 1, 1);
    branch5x5 = conv2d_bn(branch5x5, 64, 5, 5);
    ST branch3x3dbl = conv2d_bn(x, 64, 1, 1);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
    ST branch_pool = conv2d_bn(avg_pool_same(x), i == 0 ? 32 : 64, 1, 1);
    x = concat({branch1x1, branch5x5, branch3x3dbl, branch_pool}, "mixed" + std::to_string(i));
  }

  // mixed 3: 17 x 17 x 768
  {
    ST branch3x3 = conv2d_bn(x, 384, 3, 3, "valid", 2);
    ST branch3x3dbl = conv2d_bn(x, 64, 1, 1);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, "valid", 2);
    ST branch_pool = max_pool(x);
    x = concat({branch3x3, branch3x3dbl, branch_pool}, "mixed3");
  }

  // mixed 4, 5, 6, 7: 17 x 17 x 768
  const std::int64_t widths[4] = {128, 160, 160, 192};
  for (int i = 0; i < 4; ++i) {
    const std::int64_t w = widths[i];
    ST branch1x1 = conv2d_bn(x, 192, 1, 1);
    ST branch7x7 = conv2d_bn(x, w, 1, 1);
    branch7x7 = conv2d_bn(branch7x7, w, 1, 7);
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1);
    ST branch7x7dbl = conv2d_bn(x, w, 1, 1);
    branch7x7dbl = conv2d_bn(branch7x7dbl, w, 7, 1);
    branch7x7dbl = conv2d_bn(branch7x7dbl, w, 1, 7);
    branch7x7dbl = conv2d_bn(branch7x7dbl, w, 7, 1);
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7);
    ST branch_pool = conv2d_bn(avg_pool_same(x), 192, 1, 1);
    x = concat({branch1x1, branch7x7, branch7x7dbl, branch_pool}, "mixed" + std::to_string(4 + i));
  }

  // mixed 8: 8 x 8 x 1280
  {
    ST branch3x3 = conv2d_bn(x, 192, 1, 1);
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, "valid", 2);
    ST branch7x7x3 = conv2d_bn(x, 192, 1, 1);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, "valid", 2);
    ST branch_pool = max_pool(x);
    x = concat({branch3x3, branch7x7x3, branch_pool}, "mixed8");
  }

  // mixed 9, 10: 8 x 8 x 2048
  for (int i = 0; i < 2; ++i) {
    ST branch1x1 = conv2d_bn(x, 320, 1, 1);
    ST branch3x3 = conv2d_bn(x, 384, 1, 1);
    ST branch3x3_1 = conv2d_bn(branch3x3, 384, 1, 3);
    ST branch3x3_2 = conv2d_bn(branch3x3, 384, 3, 1);
    branch3x3 = concat({branch3x3_1, branch3x3_2}, "mixed9_" + std::to_string(i));
    ST branch3x3dbl = conv2d_bn(x, 448, 1, 1);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 384, 3, 3);
    ST branch3x3dbl_1 = conv2d_bn(branch3x3dbl, 384, 1, 3);
    ST branch3x3dbl_2 = conv2d_bn(branch3x3dbl, 384, 3, 1);
    branch3x3dbl = concat({branch3x3dbl_1, branch3x3dbl_2});
    ST branch_pool = conv2d_bn(avg_pool_same(x), 192, 1, 1);
    x = concat({branch1x1, branch3x3, branch3x3dbl, branch_pool}, "mixed" + std::to_string(9 + i));
  }

  if (options.include_top) {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = auto_name("global_max_pooling2d")})(x);
  }
  return iu::finish_application(options, img_input, x, "inception_v3");
}

}  // namespace strata::applications
