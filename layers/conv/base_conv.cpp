#include <strata/layers/conv/base_conv.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/regularizers/regularizers.hpp>

#include <algorithm>

#include <strata/api/initializers/initializers.hpp>

namespace strata::layers {

ConvGeometry ConvGeometry::resolve(int rank, const SpatialSize& kernel_size, const SpatialSize& strides,
                                   const SpatialSize& dilation_rate, const std::string& padding,
                                   const std::string& data_format, const std::string& where, bool allow_causal) {
  ConvGeometry g;
  g.rank = rank;
  g.kernel_size = kernel_size.resolve(rank, where, "kernel_size");
  g.strides = strides.resolve(rank, where, "strides");
  g.dilation_rate = dilation_rate.resolve(rank, where, "dilation_rate");
  g.padding = lower(padding);
  g.data_format = lower(data_format);
  if (g.padding != "valid" && g.padding != "same" && !(allow_causal && g.padding == "causal"))
    throw ValueError(where + "the `padding` argument must be one of " +
                     (allow_causal ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}") + ". Received: " +
                     g.padding);
  if (g.data_format != "channels_last" && g.data_format != "channels_first")
    throw ValueError(where + "the `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                     "Received: data_format=" + g.data_format);
  return g;
}

void ConvGeometry::forbid_strides_with_dilation(const std::string& where) const {
  if (*std::max_element(strides.begin(), strides.end()) > 1 &&
      *std::max_element(dilation_rate.begin(), dilation_rate.end()) > 1)
    throw ValueError(where + "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                     "strides=" + tuple_str(strides) + " and dilation_rate=" + tuple_str(dilation_rate));
}

std::int64_t ConvGeometry::input_channels(const Shape& s, const std::string& where) const {
  if (static_cast<int>(s.size()) != rank + 2)
    throw ShapeError(where + "expected an input of rank " + std::to_string(rank + 2) +
                     (channels_first() ? " (batch, channels, spatial...)" : " (batch, spatial..., channels)") +
                     ", got shape " + shape_str(s));
  std::int64_t c = channels_first() ? s[1] : s.back();
  if (c <= 0)
    throw ShapeError(where + "the channel dimension of the input must be known, got shape " + shape_str(s));
  return c;
}

ConvolutionAttrs ConvGeometry::attrs_for(const Shape& s, const std::string& where) const {
  input_channels(s, where);
  ConvolutionAttrs a;
  a.strides = strides;
  a.dilations = dilation_rate;
  a.channels_first = channels_first();
  Shape spatial(s.begin() + (channels_first() ? 2 : 1), s.begin() + (channels_first() ? 2 : 1) + rank);
  bool known = std::all_of(spatial.begin(), spatial.end(), [](std::int64_t d) { return d >= 0; });
  if (padding == "valid")
    for (int i = 0; i < rank; ++i) {
      std::int64_t eff = (kernel_size[i] - 1) * dilation_rate[i] + 1;
      if (spatial[i] >= 0 && spatial[i] < eff)
        throw ShapeError(where + "computed output size would be zero or negative: input shape " + shape_str(s) +
                         ", kernel_size=" + tuple_str(kernel_size) + ", dilation_rate=" + tuple_str(dilation_rate) +
                         ", strides=" + tuple_str(strides) + " with padding=\"valid\"");
    }
  if (known) ops::resolve_padding(padding, spatial, kernel_size, strides, dilation_rate, a.pad_begin, a.pad_end);
  return a;
}

Value ConvGeometry::channel_bias(Value bias) const {
  if (!channels_first()) return bias;
  Shape channel_column(static_cast<std::size_t>(rank) + 1, 1);
  channel_column[0] = bias.dim(0);
  return ops::reshape(bias, channel_column);
}

void ConvGeometry::write_config(nlohmann::json& c) const {
  c["kernel_size"] = kernel_size;
  c["strides"] = strides;
  c["padding"] = padding;
  c["data_format"] = data_format;
  c["dilation_rate"] = dilation_rate;
}

BaseConv::BaseConv(int rank, std::int64_t filters, SpatialSize kernel_size, ConvOptions options)
    : Layer(options.name, options.input_shape),
      rank_(rank),
      filters_(filters),
      kernel_size_arg_(std::move(kernel_size)),
      options_(std::move(options)) {
  set_activity_regularizer(options_.activity_regularizer);
}

void BaseConv::init() {
  if (filters_ <= 0)
    throw ValueError(where() + "invalid value for argument `filters`. Expected a strictly positive value. "
                     "Received filters=" + std::to_string(filters_) + ".");
  if (options_.groups <= 0)
    throw ValueError(where() + "the number of groups must be a positive integer. Received: groups=" +
                     std::to_string(options_.groups) + ".");
  if (filters_ % options_.groups != 0)
    throw ValueError(where() + "the number of filters must be evenly divisible by the number of groups. "
                     "Received: groups=" + std::to_string(options_.groups) + ", filters=" + std::to_string(filters_) + ".");
  geometry_ = ConvGeometry::resolve(rank_, kernel_size_arg_, options_.strides, options_.dilation_rate, options_.padding,
                                    options_.data_format, where(), rank_ == 1);
  geometry_.forbid_strides_with_dilation(where());
}

void BaseConv::build(const Shape& input_shape) {
  std::int64_t channels = geometry_.input_channels(input_shape, where());
  if (channels % options_.groups != 0)
    throw ValueError(where() + "the number of input channels must be evenly divisible by the number of groups. "
                     "Received groups=" + std::to_string(options_.groups) + ", but the input has " +
                     std::to_string(channels) + " channels (full input shape is " + shape_str(input_shape) + ").");
  geometry_.attrs_for(input_shape, where());
  Shape kernel_shape(geometry_.kernel_size.begin(), geometry_.kernel_size.end());
  kernel_shape.push_back(channels / options_.groups);
  kernel_shape.push_back(filters_);
  kernel_ = &add_weight("kernel", kernel_shape, options_.kernel_initializer, options_.kernel_regularizer,
                        options_.kernel_constraint);
  if (options_.use_bias) bias_ =
        &add_weight("bias", {filters_}, options_.bias_initializer, options_.bias_regularizer, options_.bias_constraint);
}

Value BaseConv::call(Value x, CallContext& ctx) {
  ConvolutionAttrs a = geometry_.attrs_for(x.shape(), where());
  a.groups = options_.groups;
  Value w = ctx.variable(*kernel_);
  std::int64_t channels = geometry_.input_channels(x.shape(), where());
  if (channels != w.dim(rank_) * options_.groups)
    throw ShapeError(where() + "expected an input with " + std::to_string(w.dim(rank_) * options_.groups) +
                     " channels, got shape " + shape_str(x.shape()));
  Value b = bias_ ? geometry_.channel_bias(ctx.variable(*bias_)) : Value{};
  Value y = ops::convolution(x, w, a);
  if (bias_) y = y + b;
  return options_.activation(y);
}

nlohmann::json BaseConv::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["filters"] = filters_;
  geometry_.write_config(c);
  c["groups"] = options_.groups;
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
