#include <strata/applications/mobilenet_v3.hpp>

#include <algorithm>
#include <functional>

#include <strata/api/errors.hpp>
#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;
using mobilenet_v3::depth;
using ActivationFn = std::function<SymbolicTensor(SymbolicTensor)>;

SymbolicTensor relu(SymbolicTensor x) { return ReLU({.name = iu::auto_name("re_lu")})(x); }

// Keras: ReLU(6.0)(x + 3.0) * (1.0 / 6.0), with its two keras.ops calls
SymbolicTensor hard_sigmoid(SymbolicTensor x) {
  auto relu6 = ReLU({.max_value = 6.0, .name = iu::auto_name("re_lu")});
  x = NumpyOperation("Add", 3.0, false, iu::auto_name("add"))(x);
  x = std::move(relu6)(x);
  return NumpyOperation("Multiply", 1.0 / 6.0, false, iu::auto_name("multiply"))(x);
}

SymbolicTensor hard_swish(SymbolicTensor x) { return Activation("hard_swish", {.name = iu::auto_name("activation")})(x); }

SymbolicTensor bn(SymbolicTensor x, const std::string& name) {
  return BatchNormalization({.axis = -1, .momentum = 0.999, .epsilon = 1e-3, .name = name})(x);
}

SymbolicTensor se_block(SymbolicTensor inputs, std::int64_t filters, double se_ratio, const std::string& prefix) {
  SymbolicTensor x = GlobalAveragePooling2D({.keepdims = true, .name = prefix + "squeeze_excite_avg_pool"})(inputs);
  x = Conv2D(depth(static_cast<double>(filters) * se_ratio), 1,
             {.padding = "same", .name = prefix + "squeeze_excite_conv"})(x);
  x = ReLU({.name = prefix + "squeeze_excite_relu"})(x);
  x = Conv2D(filters, 1, {.padding = "same", .name = prefix + "squeeze_excite_conv_1"})(x);
  x = hard_sigmoid(x);
  return Multiply({.name = prefix + "squeeze_excite_mul"})({inputs, x}).front();
}

SymbolicTensor inverted_res_block(SymbolicTensor x, double expansion, std::int64_t filters, int kernel_size,
                                  int stride, double se_ratio, const ActivationFn& activation, int block_id) {
  SymbolicTensor shortcut = x;
  std::string prefix = "expanded_conv_";
  const std::int64_t infilters = x.shape().back();
  if (block_id) {
    prefix = "expanded_conv_" + std::to_string(block_id) + "_";
    x = Conv2D(depth(static_cast<double>(infilters) * expansion), 1,
               {.padding = "same", .use_bias = false, .name = prefix + "expand"})(x);
    x = activation(bn(x, prefix + "expand_bn"));
  }
  if (stride == 2) x = ZeroPadding2D(iu::correct_pad(x, kernel_size), {.name = prefix + "depthwise_pad"})(x);
  x = DepthwiseConv2D(kernel_size, {.strides = stride, .padding = stride == 1 ? "same" : "valid", .use_bias = false,
                                    .name = prefix + "depthwise"})(x);
  x = activation(bn(x, prefix + "depthwise_bn"));
  if (se_ratio > 0) x = se_block(x, depth(static_cast<double>(infilters) * expansion), se_ratio, prefix);
  x = Conv2D(filters, 1, {.padding = "same", .use_bias = false, .name = prefix + "project"})(x);
  x = bn(x, prefix + "project_bn");
  if (stride == 1 && infilters == filters) x = Add({.name = prefix + "add"})({shortcut, x}).front();
  return x;
}

using StackFn = std::function<SymbolicTensor(SymbolicTensor, int, const ActivationFn&, double)>;

std::shared_ptr<Model> MobileNetV3(const StackFn& stack_fn, std::int64_t last_point_ch, ApplicationOptions options,
                                   const MobileNetV3Options& family, const std::string& default_name) {
  iu::check_application_options(options, default_name);
  Shape input_shape = options.input_shape;
  if (!input_shape.empty() && input_shape.size() != 3)
    throw ValueError("`input_shape` must be a tuple of three integers. Received: input_shape=" + shape_str(input_shape));
  const Shape* tensor_shape = options.input_tensor ? &options.input_tensor->shape() : nullptr;
  if (!input_shape.empty() && tensor_shape && tensor_shape->size() == 4 && (*tensor_shape)[2] != input_shape[1])
    throw ValueError("input_shape[1] must equal input_tensor.shape[2].  Received input_shape=" +
                     shape_str(input_shape) + ", input_tensor.shape=" + shape_str(*tensor_shape));
  // as Keras: from an input tensor, (cols, rows, 3) (only its sizes are checked)
  if (input_shape.empty() && tensor_shape && tensor_shape->size() == 4)
    input_shape = {(*tensor_shape)[2], (*tensor_shape)[1], 3};
  if (input_shape.empty()) input_shape = {-1, -1, 3};
  const std::int64_t rows = input_shape[0], cols = input_shape[1];
  if (rows > 0 && cols > 0 && (rows < 32 || cols < 32))
    throw ValueError("Input size must be at least 32x32; Received `input_shape=" + shape_str(input_shape) + "`");
  SymbolicTensor img_input = iu::application_input(options, input_shape);

  int kernel = 5;
  ActivationFn activation = hard_swish;
  double se_ratio = 0.25;
  if (family.minimalistic) {
    kernel = 3;
    activation = relu;
    se_ratio = 0;
  }
  SymbolicTensor x = img_input;
  if (family.include_preprocessing) x = Rescaling(1.0 / 127.5, -1.0, {.name = iu::auto_name("rescaling")})(x);
  x = Conv2D(16, 3, {.strides = 2, .padding = "same", .use_bias = false, .name = "conv"})(x);
  x = activation(bn(x, "conv_bn"));
  x = stack_fn(x, kernel, activation, se_ratio);
  const std::int64_t last_conv_ch = depth(static_cast<double>(x.shape().back()) * 6);
  if (family.alpha > 1.0) last_point_ch = depth(static_cast<double>(last_point_ch) * family.alpha);
  x = Conv2D(last_conv_ch, 1, {.padding = "same", .use_bias = false, .name = "conv_1"})(x);
  x = activation(bn(x, "conv_1_bn"));
  if (options.include_top) {
    x = GlobalAveragePooling2D({.keepdims = true, .name = iu::auto_name("global_average_pooling2d")})(x);
    x = Conv2D(last_point_ch, 1, {.padding = "same", .use_bias = true, .name = "conv_2"})(x);
    x = activation(x);
    if (family.dropout_rate > 0) x = Dropout(family.dropout_rate, {.name = iu::auto_name("dropout")})(x);
    x = Conv2D(options.classes, 1, {.padding = "same", .name = "logits"})(x);
    x = Flatten({.name = iu::auto_name("flatten")})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Activation(options.classifier_activation, {.name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = "avg_pool"})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = "max_pool"})(x);
  }
  return iu::finish_application(options, img_input, x, default_name);
}

}  // namespace

namespace mobilenet_v3 {
std::int64_t depth(double v, std::int64_t divisor, std::int64_t min_value) {
  if (min_value == 0) min_value = divisor;
  std::int64_t new_v =
      std::max(min_value, static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2) / divisor * divisor);
  if (static_cast<double>(new_v) < 0.9 * v) new_v += divisor;
  return new_v;
}
}  // namespace mobilenet_v3

std::shared_ptr<Model> MobileNetV3Small(ApplicationOptions options, MobileNetV3Options family) {
  const double alpha = family.alpha;
  auto stack_fn = [alpha](SymbolicTensor x, int kernel, const ActivationFn& activation, double se_ratio) {
    auto d = [alpha](double v) { return depth(v * alpha); };
    ActivationFn r = relu;
    x = inverted_res_block(x, 1, d(16), 3, 2, se_ratio, r, 0);
    x = inverted_res_block(x, 72.0 / 16, d(24), 3, 2, 0, r, 1);
    x = inverted_res_block(x, 88.0 / 24, d(24), 3, 1, 0, r, 2);
    x = inverted_res_block(x, 4, d(40), kernel, 2, se_ratio, activation, 3);
    x = inverted_res_block(x, 6, d(40), kernel, 1, se_ratio, activation, 4);
    x = inverted_res_block(x, 6, d(40), kernel, 1, se_ratio, activation, 5);
    x = inverted_res_block(x, 3, d(48), kernel, 1, se_ratio, activation, 6);
    x = inverted_res_block(x, 3, d(48), kernel, 1, se_ratio, activation, 7);
    x = inverted_res_block(x, 6, d(96), kernel, 2, se_ratio, activation, 8);
    x = inverted_res_block(x, 6, d(96), kernel, 1, se_ratio, activation, 9);
    x = inverted_res_block(x, 6, d(96), kernel, 1, se_ratio, activation, 10);
    return x;
  };
  return MobileNetV3(stack_fn, 1024, std::move(options), family, "MobileNetV3Small");
}

std::shared_ptr<Model> MobileNetV3Large(ApplicationOptions options, MobileNetV3Options family) {
  const double alpha = family.alpha;
  auto stack_fn = [alpha](SymbolicTensor x, int kernel, const ActivationFn& activation, double se_ratio) {
    auto d = [alpha](double v) { return depth(v * alpha); };
    ActivationFn r = relu;
    x = inverted_res_block(x, 1, d(16), 3, 1, 0, r, 0);
    x = inverted_res_block(x, 4, d(24), 3, 2, 0, r, 1);
    x = inverted_res_block(x, 3, d(24), 3, 1, 0, r, 2);
    x = inverted_res_block(x, 3, d(40), kernel, 2, se_ratio, r, 3);
    x = inverted_res_block(x, 3, d(40), kernel, 1, se_ratio, r, 4);
    x = inverted_res_block(x, 3, d(40), kernel, 1, se_ratio, r, 5);
    x = inverted_res_block(x, 6, d(80), 3, 2, 0, activation, 6);
    x = inverted_res_block(x, 2.5, d(80), 3, 1, 0, activation, 7);
    x = inverted_res_block(x, 2.3, d(80), 3, 1, 0, activation, 8);
    x = inverted_res_block(x, 2.3, d(80), 3, 1, 0, activation, 9);
    x = inverted_res_block(x, 6, d(112), 3, 1, se_ratio, activation, 10);
    x = inverted_res_block(x, 6, d(112), 3, 1, se_ratio, activation, 11);
    x = inverted_res_block(x, 6, d(160), kernel, 2, se_ratio, activation, 12);
    x = inverted_res_block(x, 6, d(160), kernel, 1, se_ratio, activation, 13);
    x = inverted_res_block(x, 6, d(160), kernel, 1, se_ratio, activation, 14);
    return x;
  };
  return MobileNetV3(stack_fn, 1280, std::move(options), family, "MobileNetV3Large");
}

}  // namespace strata::applications
