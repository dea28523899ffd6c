#include <strata/layers/core/dense.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Dense::Dense(std::int64_t units, DenseOptions options)
    : Layer(options.name, options.input_shape), units_(units), options_(std::move(options)) {
  set_activity_regularizer(options_.activity_regularizer);
  if (units_ <= 0)
    throw ValueError(where() + "received an invalid value for `units`, expected a positive integer. Received: units=" +
                     std::to_string(units_));
}

void Dense::build(const Shape& input_shape) {
  if (input_shape.size() < 2)
    throw ShapeError(where() + "expected an input of rank >= 2, got shape " + shape_str(input_shape));
  std::int64_t in = input_shape.back();
  if (in <= 0)
    throw ShapeError(where() + "the last dimension of the input must be known, got shape " + shape_str(input_shape));
  kernel_ = &add_weight("kernel", {in, units_}, options_.kernel_initializer, options_.kernel_regularizer,
                   options_.kernel_constraint);
  if (options_.use_bias) bias_ = &add_weight("bias", {units_}, options_.bias_initializer, options_.bias_regularizer,
                   options_.bias_constraint);
}

Value Dense::call(Value x, CallContext& ctx) {
  Value w = ctx.variable(*kernel_);
  if (x.ndim() < 2 || x.dim(-1) != w.dim(0))
    throw ShapeError(where() + "expected an input with last dimension " + std::to_string(w.dim(0)) + ", got shape " +
                     shape_str(x.shape()));
  // rank > 2: the matmul, bias and activation run on (batch * ..., in) so fusion sees matmul + bias + activation
  Shape out = x.shape();
  out.back() = units_;
  Value y = ops::matmul(x.ndim() == 2 ? x : ops::reshape(x, {-1, x.dim(-1)}), w);
  if (bias_) y = y + ctx.variable(*bias_);
  return ops::reshape(options_.activation(y), out);
}

nlohmann::json Dense::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["units"] = units_;
  c["activation"] = options_.activation.name();
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = initializers::serialize(options_.kernel_initializer);
  c["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  c["kernel_regularizer"] = regularizers::serialize(options_.kernel_regularizer);
  c["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  c["kernel_constraint"] = constraints::serialize(options_.kernel_constraint);
  c["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  c["quantization_config"] = nullptr;
  return c;
}

std::shared_ptr<Dense> Dense::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Dense");
  c.require_unset({"lora_rank", "quantization_config"}, "strata does not support LoRA or quantized Dense layers");
  auto layer = std::make_shared<Dense>(c.get_int("units"),
                                       DenseOptions{.activation = c.get_activation("activation"),
                                                    .use_bias = c.get_bool("use_bias", true),
                                                    .kernel_initializer = c.get_initializer("kernel_initializer",
                                                                                            "glorot_uniform"),
                                                    .bias_initializer = c.get_initializer("bias_initializer", "zeros"),
                                                    .kernel_regularizer = c.get_regularizer("kernel_regularizer"),
                                                    .bias_regularizer = c.get_regularizer("bias_regularizer"),
                                                    .activity_regularizer = c.get_regularizer("activity_regularizer"),
                                                    .kernel_constraint = c.get_constraint("kernel_constraint"),
                                                    .bias_constraint = c.get_constraint("bias_constraint"),
                                                    .name = c.name(),
                                                    .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
