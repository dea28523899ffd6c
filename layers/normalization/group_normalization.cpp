#include <strata/layers/normalization/group_normalization.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

GroupNormalization::GroupNormalization(int groups, GroupNormalizationOptions options)
    : Layer(options.name, options.input_shape), groups_(groups), options_(std::move(options)) {
  if (groups_ <= 0 && groups_ != -1)
    throw ValueError(where() + "Received an invalid value for argument `groups`, expected a positive integer (or "
                     "`-1` for instance normalization). Received: groups=" + std::to_string(groups_));
  if (!(options_.epsilon > 0.0))
    throw ValueError(where() + "epsilon must be positive. Received: epsilon=" + std::to_string(options_.epsilon));
}

void GroupNormalization::build(const Shape& input_shape) {
  const int rank = static_cast<int>(input_shape.size());
  const int a = options_.axis;
  if (a < -rank || a >= rank || a == 0 || a == -rank)
    throw ValueError(where() + "Axis " + std::to_string(a) + " is out of bounds for input shape " +
                     shape_str(input_shape) + " (the batch axis 0 cannot be grouped). Received: axis=" +
                     std::to_string(a));
  axis_ = a < 0 ? a + rank : a;
  const std::int64_t dim = input_shape[axis_];
  if (dim <= 0)
    throw ValueError(where() + "Axis " + std::to_string(a) + " of input tensor should have a defined dimension but "
                     "the layer received an input with shape " + shape_str(input_shape) + ".");
  if (groups_ == -1) groups_ = static_cast<int>(dim);
  if (dim < groups_)
    throw ValueError(where() + "Number of groups (" + std::to_string(groups_) +
                     ") cannot be more than the number of channels (" + std::to_string(dim) + ").");
  if (dim % groups_ != 0)
    throw ValueError(where() + "Number of groups (" + std::to_string(groups_) +
                     ") must be a multiple of the number of channels (" + std::to_string(dim) + ").");
  if (options_.scale) gamma_ = &add_weight("gamma", {dim}, options_.gamma_initializer, options_.gamma_regularizer,
                   options_.gamma_constraint);
  if (options_.center) beta_ = &add_weight("beta", {dim}, options_.beta_initializer, options_.beta_regularizer,
                   options_.beta_constraint);
}

Value GroupNormalization::call(Value x, CallContext& ctx) {
  const Shape s = x.shape();
  const int rank = x.ndim();
  if (axis_ >= rank || s[axis_] % groups_ != 0 || (gamma_ && s[axis_] != gamma_->shape()[0]))
    throw ShapeError(where() + "input shape " + shape_str(s) + " does not match the layer built for " +
                     std::to_string(groups_) + " groups on axis " + std::to_string(options_.axis));
  // x as (..., groups, channels / groups, ...); statistics over every axis but the batch and group axes
  Shape grouped(s.begin(), s.begin() + axis_);
  grouped.push_back(groups_);
  grouped.push_back(s[axis_] / groups_);
  grouped.insert(grouped.end(), s.begin() + axis_ + 1, s.end());
  Shape broadcast(grouped.size(), 1);
  broadcast[axis_] = groups_;
  broadcast[axis_ + 1] = s[axis_] / groups_;
  std::vector<int> axes;
  for (int i = 1; i <= rank; ++i)
    if (i != axis_) axes.push_back(i);

  Value xg = ops::reshape(x, grouped);
  Value mean = ops::mean(xg, axes, true);
  Value variance = ops::mean(ops::square(xg - mean), axes, true);
  Value inv = ops::eltwise(variance + static_cast<float>(options_.epsilon), EltwiseKind::pow, 1.0f, -0.5f);
  if (gamma_) inv = inv * ops::reshape(ctx.variable(*gamma_), broadcast);
  Value res = -(mean * inv);
  if (beta_) res = res + ops::reshape(ctx.variable(*beta_), broadcast);
  return ops::reshape(xg * inv + res, s);
}

nlohmann::json GroupNormalization::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["groups"] = groups_;
  c["axis"] = options_.axis;
  c["epsilon"] = options_.epsilon;
  c["center"] = options_.center;
  c["scale"] = options_.scale;
  c["beta_initializer"] = initializers::serialize(options_.beta_initializer);
  c["gamma_initializer"] = initializers::serialize(options_.gamma_initializer);
  c["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer);
  c["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer);
  c["beta_constraint"] = constraints::serialize(options_.beta_constraint);
  c["gamma_constraint"] = constraints::serialize(options_.gamma_constraint);
  return c;
}

std::shared_ptr<GroupNormalization> GroupNormalization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "GroupNormalization");
  GroupNormalizationOptions o{.axis = static_cast<int>(c.get_int("axis", -1)),
                              .epsilon = c.get_double("epsilon", 1e-3),
                              .center = c.get_bool("center", true),
                              .scale = c.get_bool("scale", true),
                              .beta_initializer = c.get_initializer("beta_initializer", "zeros"),
                              .gamma_initializer = c.get_initializer("gamma_initializer", "ones"),
                              .beta_regularizer = c.get_regularizer("beta_regularizer"),
                              .gamma_regularizer = c.get_regularizer("gamma_regularizer"),
                              .beta_constraint = c.get_constraint("beta_constraint"),
                              .gamma_constraint = c.get_constraint("gamma_constraint"),
                              .name = c.name(),
                              .input_shape = c.input_shape()};
  auto layer = std::make_shared<GroupNormalization>(static_cast<int>(c.get_int("groups", 32)), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
