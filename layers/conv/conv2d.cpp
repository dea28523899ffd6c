#include <strata/layers/conv/conv2d.hpp>

#include <algorithm>

#include <strata/api/initializers/initializers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Conv2D::Conv2D(std::int64_t filters, SpatialSize kernel_size, Conv2DOptions options)
    : Layer(options.name, options.input_shape), filters_(filters), options_(std::move(options)) {
  if (filters_ <= 0)
    throw ValueError(where() + "invalid value for argument `filters`. Expected a strictly positive value. "
                     "Received filters=" + std::to_string(filters_) + ".");
  if (options_.groups <= 0)
    throw ValueError(where() + "the number of groups must be a positive integer. Received: groups=" +
                     std::to_string(options_.groups) + ".");
  if (filters_ % options_.groups != 0)
    throw ValueError(where() + "the number of filters must be evenly divisible by the number of groups. "
                     "Received: groups=" + std::to_string(options_.groups) + ", filters=" + std::to_string(filters_) + ".");
  options_.padding = lower(options_.padding);
  options_.data_format = lower(options_.data_format);
  kernel_size_ = kernel_size.resolve(2, where(), "kernel_size");
  strides_ = options_.strides.resolve(2, where(), "strides");
  dilation_rate_ = options_.dilation_rate.resolve(2, where(), "dilation_rate");
  if (options_.padding != "valid" && options_.padding != "same")
    throw ValueError(where() + "the `padding` argument must be one of \"valid\", \"same\". Received: " +
                     options_.padding);
  if (options_.data_format != "channels_last")
    throw ValueError(where() + "the `data_format` argument must be one of {\"channels_last\"} (channels_first is not "
                     "supported). Received: " + options_.data_format);
  if (*std::max_element(strides_.begin(), strides_.end()) > 1 &&
      *std::max_element(dilation_rate_.begin(), dilation_rate_.end()) > 1)
    throw ValueError(where() + "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                     "strides=" + tuple_str(strides_) + " and dilation_rate=" + tuple_str(dilation_rate_));
}

ConvolutionAttrs Conv2D::attrs_for(const Shape& s) const {
  if (s.size() != 4)
    throw ShapeError(where() + "expected an input of rank 4 (batch, height, width, channels), got shape " +
                     shape_str(s));
  ConvolutionAttrs a;
  a.strides = strides_;
  a.dilations = dilation_rate_;
  a.groups = options_.groups;
  Shape spatial{s[1], s[2]};
  if (options_.padding == "valid") {
    for (int i = 0; i < 2; ++i) {
      std::int64_t eff = (kernel_size_[i] - 1) * dilation_rate_[i] + 1;
      if (spatial[i] >= 0 && spatial[i] < eff)
        throw ShapeError(where() + "computed output size would be negative: input shape " + shape_str(s) +
                         ", kernel_size=" + tuple_str(kernel_size_) + ", dilation_rate=" + tuple_str(dilation_rate_) +
                         " with padding=\"valid\"");
    }
  }
  if (spatial[0] >= 0 && spatial[1] >= 0)
    ops::resolve_padding(options_.padding, spatial, kernel_size_, strides_, dilation_rate_, a.pad_begin, a.pad_end);
  return a;
}

void Conv2D::build(const Shape& input_shape) {
  attrs_for(input_shape);
  std::int64_t channels = input_shape.back();
  if (channels <= 0)
    throw ShapeError(where() + "the channel dimension of the input must be known, got shape " + shape_str(input_shape));
  if (channels % options_.groups != 0)
    throw ValueError(where() + "the number of input channels must be evenly divisible by the number of groups. "
                     "Received groups=" + std::to_string(options_.groups) + ", but the input has " +
                     std::to_string(channels) + " channels (full input shape is " + shape_str(input_shape) + ").");
  kernel_ = &add_weight("kernel", {kernel_size_[0], kernel_size_[1], channels / options_.groups, filters_},
                        options_.kernel_initializer);
  if (options_.use_bias) bias_ = &add_weight("bias", {filters_}, options_.bias_initializer);
}

Value Conv2D::call(Value x, CallContext& ctx) {
  ConvolutionAttrs a = attrs_for(x.shape());
  Value w = ctx.variable(*kernel_);
  if (x.dim(-1) != w.dim(2) * options_.groups)
    throw ShapeError(where() + "expected an input with " + std::to_string(w.dim(2) * options_.groups) +
                     " channels, got shape " + shape_str(x.shape()));
  Value y = ops::convolution(x, w, a);
  if (bias_) y = y + ctx.variable(*bias_);
  return options_.activation(y);
}

nlohmann::json Conv2D::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["filters"] = filters_;
  c["kernel_size"] = kernel_size_;
  c["strides"] = strides_;
  c["padding"] = options_.padding;
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = dilation_rate_;
  c["groups"] = options_.groups;
  c["activation"] = options_.activation.name();
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = initializers::serialize(options_.kernel_initializer);
  c["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  c["kernel_regularizer"] = nullptr;
  c["bias_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  return c;
}

std::shared_ptr<Conv2D> Conv2D::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Conv2D");
  c.require_unset({"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                   "bias_constraint"},
                  "strata has no regularizers or constraints yet");
  c.require_unset({"lora_rank", "quantization_config"}, "strata does not support LoRA or quantized convolutions");
  auto layer = std::make_shared<Conv2D>(
      c.get_int("filters"), c.get_spatial("kernel_size"),
      Conv2DOptions{.strides = c.get_spatial("strides", 1),
                    .padding = c.get_string("padding", "valid"),
                    .data_format = c.get_string("data_format", "channels_last"),
                    .dilation_rate = c.get_spatial("dilation_rate", 1),
                    .groups = c.get_int("groups", 1),
                    .activation = c.get_activation("activation"),
                    .use_bias = c.get_bool("use_bias", true),
                    .kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform"),
                    .bias_initializer = c.get_initializer("bias_initializer", "zeros"),
                    .name = c.name(),
                    .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
