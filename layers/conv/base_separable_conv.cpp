#include <strata/layers/conv/base_separable_conv.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>

namespace strata::layers {

BaseSeparableConv::BaseSeparableConv(int rank, std::int64_t filters, SpatialSize kernel_size,
                                     SeparableConvOptions options)
    : Layer(options.name, options.input_shape),
      rank_(rank),
      filters_(filters),
      kernel_size_arg_(std::move(kernel_size)),
      options_(std::move(options)) {
  set_activity_regularizer(options_.activity_regularizer);
}

void BaseSeparableConv::init() {
  if (options_.depth_multiplier <= 0)
    throw ValueError(where() + "invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
                     "Received depth_multiplier=" + std::to_string(options_.depth_multiplier) + ".");
  if (filters_ <= 0)
    throw ValueError(where() + "invalid value for argument `filters`. Expected a strictly positive value. "
                     "Received filters=" + std::to_string(filters_) + ".");
  geometry_ = ConvGeometry::resolve(rank_, kernel_size_arg_, options_.strides, options_.dilation_rate, options_.padding,
                                    options_.data_format, where(), false);
}

void BaseSeparableConv::build(const Shape& input_shape) {
  std::int64_t channels = geometry_.input_channels(input_shape, where());
  geometry_.attrs_for(input_shape, where());
  Shape depthwise_shape(geometry_.kernel_size.begin(), geometry_.kernel_size.end());
  depthwise_shape.push_back(channels);
  depthwise_shape.push_back(options_.depth_multiplier);
  Shape pointwise_shape(static_cast<std::size_t>(rank_), 1);
  pointwise_shape.push_back(channels * options_.depth_multiplier);
  pointwise_shape.push_back(filters_);
  depthwise_kernel_ = &add_weight("depthwise_kernel", depthwise_shape, options_.depthwise_initializer,
                                  options_.depthwise_regularizer, options_.depthwise_constraint);
  pointwise_kernel_ = &add_weight("pointwise_kernel", pointwise_shape, options_.pointwise_initializer,
                                  options_.pointwise_regularizer, options_.pointwise_constraint);
  if (options_.use_bias) bias_ =
        &add_weight("bias", {filters_}, options_.bias_initializer, options_.bias_regularizer, options_.bias_constraint);
}

Value BaseSeparableConv::call(Value x, CallContext& ctx) {
  ConvolutionAttrs a = geometry_.attrs_for(x.shape(), where());
  Value dw = ctx.variable(*depthwise_kernel_);
  std::int64_t channels = geometry_.input_channels(x.shape(), where());
  if (channels != dw.dim(rank_))
    throw ShapeError(where() + "expected an input with " + std::to_string(dw.dim(rank_)) + " channels, got shape " +
                     shape_str(x.shape()));
  Value b = bias_ ? geometry_.channel_bias(ctx.variable(*bias_)) : Value{};
  Value y = depthwise_convolution(x, dw, a);
  ConvolutionAttrs pointwise;
  pointwise.strides.assign(static_cast<std::size_t>(rank_), 1);
  pointwise.dilations.assign(static_cast<std::size_t>(rank_), 1);
  pointwise.pad_begin.assign(static_cast<std::size_t>(rank_), 0);
  pointwise.pad_end.assign(static_cast<std::size_t>(rank_), 0);
  pointwise.channels_first = geometry_.channels_first();
  y = ops::convolution(y, ctx.variable(*pointwise_kernel_), pointwise);
  if (bias_) y = y + b;
  return options_.activation(y);
}

nlohmann::json BaseSeparableConv::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["depth_multiplier"] = options_.depth_multiplier;
  c["filters"] = filters_;
  geometry_.write_config(c);
  c["activation"] = options_.activation.name();
  c["use_bias"] = options_.use_bias;
  c["depthwise_initializer"] = initializers::serialize(options_.depthwise_initializer);
  c["pointwise_initializer"] = initializers::serialize(options_.pointwise_initializer);
  c["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  c["depthwise_regularizer"] = regularizers::serialize(options_.depthwise_regularizer);
  c["pointwise_regularizer"] = regularizers::serialize(options_.pointwise_regularizer);
  c["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  c["activity_regularizer"] = regularizers::serialize(activity_regularizer());
  c["depthwise_constraint"] = constraints::serialize(options_.depthwise_constraint);
  c["pointwise_constraint"] = constraints::serialize(options_.pointwise_constraint);
  c["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return c;
}

}  // namespace strata::layers
