#include <strata/layers/conv/base_depthwise_conv.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>

namespace strata::layers {

Value depthwise_convolution(Value x, Value depthwise_kernel, ConvolutionAttrs attrs) {
  Shape grouped = depthwise_kernel.shape();
  const std::size_t n = grouped.size() - 2;
  const std::int64_t in = grouped[n], multiplier = grouped[n + 1];
  grouped[n] = 1;
  grouped[n + 1] = in * multiplier;
  attrs.groups = in;
  return ops::convolution(x, ops::reshape(depthwise_kernel, grouped), attrs);
}

BaseDepthwiseConv::BaseDepthwiseConv(int rank, SpatialSize kernel_size, DepthwiseConvOptions options)
    : Layer(options.name, options.input_shape),
      rank_(rank),
      kernel_size_arg_(std::move(kernel_size)),
      options_(std::move(options)) {
  set_activity_regularizer(options_.activity_regularizer);
}

void BaseDepthwiseConv::init() {
  if (options_.depth_multiplier <= 0)
    throw ValueError(where() + "invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
                     "Received depth_multiplier=" + std::to_string(options_.depth_multiplier) + ".");
  geometry_ = ConvGeometry::resolve(rank_, kernel_size_arg_, options_.strides, options_.dilation_rate, options_.padding,
                                    options_.data_format, where(), false);
}

void BaseDepthwiseConv::build(const Shape& input_shape) {
  std::int64_t channels = geometry_.input_channels(input_shape, where());
  geometry_.attrs_for(input_shape, where());
  Shape kernel_shape(geometry_.kernel_size.begin(), geometry_.kernel_size.end());
  kernel_shape.push_back(channels);
  kernel_shape.push_back(options_.depth_multiplier);
  kernel_ = &add_weight("kernel", kernel_shape, options_.depthwise_initializer, options_.depthwise_regularizer,
                        options_.depthwise_constraint);
  if (options_.use_bias)
    bias_ = &add_weight("bias", {channels * options_.depth_multiplier}, options_.bias_initializer,
                        options_.bias_regularizer, options_.bias_constraint);
}

Value BaseDepthwiseConv::call(Value x, CallContext& ctx) {
  ConvolutionAttrs a = geometry_.attrs_for(x.shape(), where());
  Value w = ctx.variable(*kernel_);
  std::int64_t channels = geometry_.input_channels(x.shape(), where());
  if (channels != w.dim(rank_))
    throw ShapeError(where() + "expected an input with " + std::to_string(w.dim(rank_)) + " channels, got shape " +
                     shape_str(x.shape()));
  Value b = bias_ ? geometry_.channel_bias(ctx.variable(*bias_)) : Value{};
  Value y = depthwise_convolution(x, w, a);
  if (bias_) y = y + b;
  return options_.activation(y);
}

nlohmann::json BaseDepthwiseConv::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["depth_multiplier"] = options_.depth_multiplier;
  geometry_.write_config(c);
  c["activation"] = options_.activation.name();
  c["use_bias"] = options_.use_bias;
  c["depthwise_initializer"] = initializers::serialize(options_.depthwise_initializer);
  c["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  c["depthwise_regularizer"] = regularizers::serialize(options_.depthwise_regularizer);
  c["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  c["activity_regularizer"] = regularizers::serialize(activity_regularizer());
  c["depthwise_constraint"] = constraints::serialize(options_.depthwise_constraint);
  c["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return c;
}

}  // namespace strata::layers
