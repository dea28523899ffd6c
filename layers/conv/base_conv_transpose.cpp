#include <strata/layers/conv/base_conv_transpose.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>

namespace strata::layers {

BaseConvTranspose::BaseConvTranspose(int rank, std::int64_t filters, SpatialSize kernel_size,
                                     ConvTransposeOptions options)
    : Layer(options.name, options.input_shape),
      rank_(rank),
      filters_(filters),
      kernel_size_arg_(std::move(kernel_size)),
      options_(std::move(options)) {
  set_activity_regularizer(options_.activity_regularizer);
}

void BaseConvTranspose::init() {
  if (filters_ <= 0)
    throw ValueError(where() + "invalid value for argument `filters`. Expected a strictly positive value. "
                     "Received filters=" + std::to_string(filters_) + ".");
  geometry_ = ConvGeometry::resolve(rank_, kernel_size_arg_, options_.strides, options_.dilation_rate, options_.padding,
                                    options_.data_format, where(), false);
  if (options_.output_padding.has_value()) {
    output_padding_ = options_.output_padding.resolve(rank_, where(), "output_padding", true);
    for (int i = 0; i < rank_; ++i)
      if (output_padding_[i] >= geometry_.strides[i])
        throw ValueError(where() + "`output_padding` must be strictly less than `strides` for all dimensions. At "
                         "dimension " + std::to_string(i) + ", `output_padding` is " +
                         std::to_string(output_padding_[i]) + " but `strides` is " +
                         std::to_string(geometry_.strides[i]) + ". Received: output_padding=" +
                         tuple_str(output_padding_) + ", strides=" + tuple_str(geometry_.strides));
  }
  geometry_.forbid_strides_with_dilation(where());
}

ops::ConvTransposeSpec BaseConvTranspose::spec_for(const Shape& input_shape) const {
  geometry_.input_channels(input_shape, where());
  return {.padding = geometry_.padding,
          .strides = geometry_.strides,
          .dilations = geometry_.dilation_rate,
          .output_padding = output_padding_,
          .channels_first = geometry_.channels_first()};
}

void BaseConvTranspose::build(const Shape& input_shape) {
  std::int64_t channels = geometry_.input_channels(input_shape, where());
  Shape kernel_shape(geometry_.kernel_size.begin(), geometry_.kernel_size.end());
  kernel_shape.push_back(filters_);
  kernel_shape.push_back(channels);
  kernel_ = &add_weight("kernel", kernel_shape, options_.kernel_initializer, options_.kernel_regularizer,
                        options_.kernel_constraint);
  if (options_.use_bias) bias_ =
        &add_weight("bias", {filters_}, options_.bias_initializer, options_.bias_regularizer, options_.bias_constraint);
}

Value BaseConvTranspose::call(Value x, CallContext& ctx) {
  ops::ConvTransposeSpec spec = spec_for(x.shape());
  Value w = ctx.variable(*kernel_);
  std::int64_t channels = geometry_.input_channels(x.shape(), where());
  if (channels != w.dim(-1))
    throw ShapeError(where() + "expected an input with " + std::to_string(w.dim(-1)) + " channels, got shape " +
                     shape_str(x.shape()));
  Value b = bias_ ? geometry_.channel_bias(ctx.variable(*bias_)) : Value{};
  Value y;
  try {
    y = ops::conv_transpose(x, w, spec);
  } catch (const ShapeError& e) {
    throw ShapeError(where() + e.what());
  }
  if (bias_) y = y + b;
  return options_.activation(y);
}

nlohmann::json BaseConvTranspose::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["filters"] = filters_;
  geometry_.write_config(c);
  c["output_padding"] = output_padding_.empty() ? nlohmann::json(nullptr) : nlohmann::json(output_padding_);
  c["activation"] = options_.activation.name();
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = initializers::serialize(options_.kernel_initializer);
  c["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  c["kernel_regularizer"] = regularizers::serialize(options_.kernel_regularizer);
  c["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  c["activity_regularizer"] = regularizers::serialize(activity_regularizer());
  c["kernel_constraint"] = constraints::serialize(options_.kernel_constraint);
  c["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return c;
}

}  // namespace strata::layers
