#include <strata/layers/normalization/batch_normalization.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)) {
  if (!(options_.epsilon > 0.0f))
    throw ValueError(where() + "epsilon must be positive, got " + std::to_string(options_.epsilon));
}

void BatchNormalization::build(const Shape& input_shape) {
  int rank = static_cast<int>(input_shape.size());
  int axis = options_.axis < 0 ? options_.axis + rank : options_.axis;
  if (axis < 0 || axis >= rank)
    throw ValueError(where() + "axis " + std::to_string(options_.axis) + " is out of bounds for input shape " +
                     shape_str(input_shape));
  if (rank < 2 || rank > 5)
    throw UnsupportedError(where() + "inputs of rank 2 to 5 are supported; got input shape " + shape_str(input_shape));
  if (axis == 0)
    throw ValueError(where() + "axis 0 is the batch axis and cannot be normalized over; got axis=" +
                     std::to_string(options_.axis) + " for input shape " + shape_str(input_shape));
  axis_ = axis;
  std::int64_t c = input_shape[axis];
  if (c <= 0)
    throw ShapeError(where() + "Axis " + std::to_string(options_.axis) + " of input tensor should have a defined "
                     "dimension but the layer received an input with shape " + shape_str(input_shape) + ".");
  if (options_.scale) gamma_ = &add_weight("gamma", {c}, options_.gamma_initializer, options_.gamma_regularizer,
                   options_.gamma_constraint);
  if (options_.center) beta_ = &add_weight("beta", {c}, options_.beta_initializer, options_.beta_regularizer,
                   options_.beta_constraint);
  moving_mean_ = &add_weight("moving_mean", {c}, options_.moving_mean_initializer, false);
  moving_variance_ = &add_weight("moving_variance", {c}, options_.moving_variance_initializer, false);
}

Value BatchNormalization::call(Value x, CallContext& ctx) {
  std::int64_t c = moving_mean_->shape()[0];
  if (x.ndim() <= axis_ || x.dim(axis_) != c)
    throw ShapeError(where() + "expected an input with dimension " + std::to_string(c) + " on axis " +
                     std::to_string(options_.axis) + ", got shape " + shape_str(x.shape()));
  Value gamma = gamma_ ? ctx.variable(*gamma_) : ctx.graph.add_constant(Tensor::full({c}, 1.0f), "ones");
  Value beta = beta_ ? ctx.variable(*beta_) : ctx.graph.add_constant(Tensor::full({c}, 0.0f), "zeros");
  Value moving_mean = ctx.variable(*moving_mean_);
  Value moving_variance = ctx.variable(*moving_variance_);
  if (ctx.training && trainable()) {
    auto r = ops::batch_norm_training(x, gamma, beta, static_cast<float>(options_.epsilon), axis_);
    float m = static_cast<float>(options_.momentum);
    ops::assign(moving_mean, moving_mean * m + r.mean * (1.0f - m));
    ops::assign(moving_variance, moving_variance * m + r.variance * (1.0f - m));
    return r.y;
  }
  return ops::batch_norm_inference(x, gamma, beta, moving_mean, moving_variance, static_cast<float>(options_.epsilon),
                                   axis_);
}

nlohmann::json BatchNormalization::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["axis"] = options_.axis;
  c["momentum"] = options_.momentum;
  c["epsilon"] = options_.epsilon;
  c["center"] = options_.center;
  c["scale"] = options_.scale;
  c["beta_initializer"] = initializers::serialize(options_.beta_initializer);
  c["gamma_initializer"] = initializers::serialize(options_.gamma_initializer);
  c["moving_mean_initializer"] = initializers::serialize(options_.moving_mean_initializer);
  c["moving_variance_initializer"] = initializers::serialize(options_.moving_variance_initializer);
  c["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer);
  c["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer);
  c["beta_constraint"] = constraints::serialize(options_.beta_constraint);
  c["gamma_constraint"] = constraints::serialize(options_.gamma_constraint);
  c["synchronized"] = false;
  c["renorm"] = false;
  c["renorm_clipping"] = nullptr;
  c["renorm_momentum"] = 0.99;
  return c;
}

std::shared_ptr<BatchNormalization> BatchNormalization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "BatchNormalization");
  c.require_unset({"renorm", "virtual_batch_size", "adjustment"},
                  "strata's BatchNormalization has no batch renormalization, virtual batches or adjustment");
  // Keras 2 writes axis as a list ([3]); Keras 3 as an int
  auto axes = c.get_int_list("axis");
  if (axes.size() != 1)
    throw UnsupportedError(c.where() + "normalizing over several axes " + tuple_str(axes) + " is not supported");
  BatchNormalizationOptions o{.axis = static_cast<int>(axes[0]),
                              .momentum = c.get_double("momentum", 0.99),
                              .epsilon = c.get_double("epsilon", 1e-3),
                              .center = c.get_bool("center", true),
                              .scale = c.get_bool("scale", true),
                              .beta_initializer = c.get_initializer("beta_initializer", "zeros"),
                              .gamma_initializer = c.get_initializer("gamma_initializer", "ones"),
                              .moving_mean_initializer = c.get_initializer("moving_mean_initializer", "zeros"),
                              .moving_variance_initializer = c.get_initializer("moving_variance_initializer", "ones"),
                              .beta_regularizer = c.get_regularizer("beta_regularizer"),
                              .gamma_regularizer = c.get_regularizer("gamma_regularizer"),
                              .beta_constraint = c.get_constraint("beta_constraint"),
                              .gamma_constraint = c.get_constraint("gamma_constraint"),
                              .name = c.name(),
                              .input_shape = c.input_shape()};
  auto layer = std::make_shared<BatchNormalization>(o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
