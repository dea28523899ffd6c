#include <strata/layers/normalization/layer_normalization.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/regularizers/regularizers.hpp>

#include <algorithm>

#include <strata/api/initializers/initializers.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

namespace {
std::vector<std::int64_t> wide(const std::vector<int>& v) { return {v.begin(), v.end()}; }
}  // namespace

LayerNormalization::LayerNormalization(LayerNormalizationOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)), axis_is_list_(options_.axis.size() != 1) {
  if (options_.axis.empty()) throw ValueError(where() + "`axis` must name at least one axis. Received: axis=[]");
  if (!(options_.epsilon > 0.0))
    throw ValueError(where() + "epsilon must be positive. Received: epsilon=" + std::to_string(options_.epsilon));
}

void LayerNormalization::build(const Shape& input_shape) {
  const int rank = static_cast<int>(input_shape.size());
  // Keras sorts the axes as given and shapes gamma in that order
  std::vector<int> given = options_.axis;
  std::sort(given.begin(), given.end());
  Shape param;
  axes_.clear();
  for (int a : given) {
    if (a < -rank || a >= rank)
      throw ValueError(where() + "Axis " + std::to_string(a) + " is out of bounds for input shape " +
                       shape_str(input_shape) + ". Received: axis=" + tuple_str(wide(options_.axis)));
    const int k = a < 0 ? a + rank : a;
    if (k == 0) throw ValueError(where() + "axis 0 is the batch axis and cannot be normalized over");
    if (input_shape[k] <= 0)
      throw ShapeError(where() + "axis " + std::to_string(a) + " of the input must be known; input shape " +
                       shape_str(input_shape));
    param.push_back(input_shape[k]);
    axes_.push_back(k);
  }
  std::sort(axes_.begin(), axes_.end());
  if (std::adjacent_find(axes_.begin(), axes_.end()) != axes_.end())
    throw ValueError(where() + "`axis` names an axis twice. Received: axis=" + tuple_str(wide(options_.axis)));
  if (options_.scale || options_.rms_scaling) gamma_ = &add_weight("gamma", param, options_.gamma_initializer, options_.gamma_regularizer,
                   options_.gamma_constraint);
  if (options_.center && !options_.rms_scaling) beta_ = &add_weight("beta", param, options_.beta_initializer, options_.beta_regularizer,
                   options_.beta_constraint);
}

Value LayerNormalization::call(Value x, CallContext& ctx) {
  const int rank = x.ndim();
  for (int k : axes_)
    if (k >= rank)
      throw ShapeError(where() + "input shape " + shape_str(x.shape()) + " lacks the axes the layer was built for");
  const float eps = static_cast<float>(options_.epsilon);
  Shape broadcast(rank, 1);  // parameters as (1, .., axis sizes, .., 1)
  for (int k : axes_) broadcast[k] = x.dim(k);
  auto param = [&](Variable* v) { return ops::reshape(ctx.variable(*v), broadcast); };

  if (options_.rms_scaling) {
    Value centered = x - ops::mean(x, axes_, true);
    Value inv = ops::eltwise(ops::mean(ops::square(centered), axes_, true) + eps, EltwiseKind::pow, 1.0f, -0.5f);
    Value y = x * inv;
    return gamma_ ? y * param(gamma_) : y;
  }
  if (axes_ == std::vector<int>{rank - 1}) {  // oneDNN's layer normalization
    const std::int64_t c = x.dim(rank - 1);
    Value gamma = gamma_ ? ctx.variable(*gamma_) : ctx.graph.add_constant(Tensor::full({c}, 1.0f), "ones");
    Value beta = beta_ ? ctx.variable(*beta_) : ctx.graph.add_constant(Tensor::full({c}, 0.0f), "zeros");
    return ops::layer_norm(x, gamma, beta, eps);
  }
  // Keras's composition: x * inv + (beta - mean * inv), inv = rsqrt(variance + epsilon) * gamma
  Value mean = ops::mean(x, axes_, true);
  Value variance = ops::mean(ops::square(x - mean), axes_, true);
  Value inv = ops::eltwise(variance + eps, EltwiseKind::pow, 1.0f, -0.5f);
  if (gamma_) inv = inv * param(gamma_);
  Value res = -(mean * inv);
  if (beta_) res = res + param(beta_);
  return x * inv + res;
}

nlohmann::json LayerNormalization::get_config() const {
  nlohmann::json c = Layer::get_config();
  if (axis_is_list_ || built()) {  // Keras keeps the axes as a sorted list once built
    std::vector<int> sorted = options_.axis;
    std::sort(sorted.begin(), sorted.end());
    c["axis"] = sorted;
  } else {
    c["axis"] = options_.axis[0];
  }
  c["epsilon"] = options_.epsilon;
  c["center"] = options_.center;
  c["scale"] = options_.scale;
  c["rms_scaling"] = options_.rms_scaling;
  c["beta_initializer"] = initializers::serialize(options_.beta_initializer);
  c["gamma_initializer"] = initializers::serialize(options_.gamma_initializer);
  c["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer);
  c["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer);
  c["beta_constraint"] = constraints::serialize(options_.beta_constraint);
  c["gamma_constraint"] = constraints::serialize(options_.gamma_constraint);
  return c;
}

std::shared_ptr<LayerNormalization> LayerNormalization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "LayerNormalization");
  LayerNormalizationOptions o{.epsilon = c.get_double("epsilon", 1e-3),
                              .center = c.get_bool("center", true),
                              .scale = c.get_bool("scale", true),
                              .rms_scaling = c.get_bool("rms_scaling", false),
                              .beta_initializer = c.get_initializer("beta_initializer", "zeros"),
                              .gamma_initializer = c.get_initializer("gamma_initializer", "ones"),
                              .beta_regularizer = c.get_regularizer("beta_regularizer"),
                              .gamma_regularizer = c.get_regularizer("gamma_regularizer"),
                              .beta_constraint = c.get_constraint("beta_constraint"),
                              .gamma_constraint = c.get_constraint("gamma_constraint"),
                              .name = c.name(),
                              .input_shape = c.input_shape()};
  if (c.has("axis")) {
    o.axis.clear();
    for (auto a : c.get_int_list("axis")) o.axis.push_back(static_cast<int>(a));
  }
  auto layer = std::make_shared<LayerNormalization>(o);
  if (config.contains("axis") && config.at("axis").is_array()) layer->axis_is_list_ = true;
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
