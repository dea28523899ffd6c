#include <strata/layers/activation/prelu.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

PReLU::PReLU(PReLUOptions options) : Layer(options.name, options.input_shape), options_(std::move(options)) {}

void PReLU::build(const Shape& input_shape) {
  Shape param(input_shape.begin() + 1, input_shape.end());
  for (int a : options_.shared_axes) {
    if (a < 1 || a >= static_cast<int>(input_shape.size()))
      throw ValueError(where() + "shared_axes entries must be axes 1.." + std::to_string(input_shape.size() - 1) +
                       " of the input shape " + shape_str(input_shape) + ". Received: shared_axes=" +
                       tuple_str(std::vector<std::int64_t>(options_.shared_axes.begin(), options_.shared_axes.end())));
    param[a - 1] = 1;
  }
  for (auto d : param)
    if (d < 0)
      throw ShapeError(where() + "every non-shared axis of the input must be known to create alpha; input shape " +
                       shape_str(input_shape));
  alpha_ = &add_weight("alpha", param, options_.alpha_initializer, options_.alpha_regularizer,
                   options_.alpha_constraint);
}

Value PReLU::call(Value x, CallContext& ctx) {
  const Shape& param = alpha_->shape();
  bool fits = x.ndim() == static_cast<int>(param.size()) + 1;
  for (std::size_t i = 0; fits && i < param.size(); ++i) fits = param[i] == 1 || param[i] == x.dim(static_cast<int>(i) + 1);
  if (!fits)
    throw ShapeError(where() + "input shape " + shape_str(x.shape()) + " does not match alpha of shape " +
                     shape_str(param) + " (built for another input)");
  Value alpha = ctx.variable(*alpha_);
  return ops::relu(x) - alpha * ops::relu(-x);
}

nlohmann::json PReLU::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["alpha_initializer"] = initializers::serialize(options_.alpha_initializer);
  c["alpha_regularizer"] = regularizers::serialize(options_.alpha_regularizer);
  c["alpha_constraint"] = constraints::serialize(options_.alpha_constraint);
  c["shared_axes"] = options_.shared_axes.empty() ? nlohmann::json(nullptr) : nlohmann::json(options_.shared_axes);
  return c;
}

std::shared_ptr<PReLU> PReLU::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "PReLU");
  PReLUOptions o{.alpha_initializer = c.get_initializer("alpha_initializer", "zeros"),
                 .alpha_regularizer = c.get_regularizer("alpha_regularizer"),
                 .alpha_constraint = c.get_constraint("alpha_constraint"),
                 .name = c.name(),
                 .input_shape = c.input_shape()};
  if (auto axes = c.get_optional_int_list("shared_axes"))
    for (auto a : *axes) o.shared_axes.push_back(static_cast<int>(a));
  auto layer = std::make_shared<PReLU>(o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
