#include <strata/layers/core/layer_scale.hpp>

#include <strata/api/initializers/initializers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

LayerScale::LayerScale(double init_values, std::int64_t projection_dim, LayerScaleOptions options)
    : Layer(options.name, options.input_shape), init_values_(init_values), projection_dim_(projection_dim) {
  if (projection_dim_ <= 0)
    throw ValueError(where() + "`projection_dim` must be a positive integer. Received: projection_dim=" +
                     std::to_string(projection_dim_));
}

void LayerScale::build(const Shape&) {
  // Keras names the weight after nothing (add_weight without a name), which its files store by position
  gamma_ = &add_weight("gamma", {projection_dim_}, initializers::Constant(init_values_));
}

Value LayerScale::call(Value x, CallContext& ctx) {
  if (x.ndim() < 1 || x.dim(-1) != projection_dim_)
    throw ShapeError(where() + "expected an input with last dimension " + std::to_string(projection_dim_) +
                     ", got shape " + shape_str(x.shape()));
  return x * ctx.variable(*gamma_);
}

nlohmann::json LayerScale::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["init_values"] = init_values_;
  c["projection_dim"] = projection_dim_;
  return c;
}

std::shared_ptr<LayerScale> LayerScale::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "LayerScale");
  auto layer = std::make_shared<LayerScale>(c.get_double("init_values"), c.get_int("projection_dim"),
                                            LayerScaleOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
