#include <strata/layers/normalization/unit_normalization.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

UnitNormalization::UnitNormalization(UnitNormalizationOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)), axis_is_list_(options_.axis.size() != 1) {
  if (options_.axis.empty()) throw ValueError(where() + "`axis` must name at least one axis. Received: axis=[]");
}

Value UnitNormalization::call(Value x, CallContext& ctx) {
  for (int a : options_.axis)
    if (a < -x.ndim() || a >= x.ndim())
      throw ShapeError(where() + "Axis " + std::to_string(a) + " is out of bounds for input shape " +
                       shape_str(x.shape()) + ".");
  // Keras's L2 normalize: x * min(rsqrt(sum(x^2)), 1 / epsilon) with epsilon 1e-12
  Value inv_norm = ops::eltwise(ops::sum(ops::square(x), options_.axis, true), EltwiseKind::pow, 1.0f, -0.5f);
  return x * ops::minimum(inv_norm, x.graph().scalar(1e12f));
}

nlohmann::json UnitNormalization::get_config() const {
  nlohmann::json c = Layer::get_config();
  if (axis_is_list_)
    c["axis"] = options_.axis;
  else
    c["axis"] = options_.axis[0];
  return c;
}

std::shared_ptr<UnitNormalization> UnitNormalization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "UnitNormalization");
  UnitNormalizationOptions o{.name = c.name(), .input_shape = c.input_shape()};
  if (c.has("axis")) {
    o.axis.clear();
    for (auto a : c.get_int_list("axis")) o.axis.push_back(static_cast<int>(a));
  }
  auto layer = std::make_shared<UnitNormalization>(o);
  if (config.contains("axis") && config.at("axis").is_array()) layer->axis_is_list_ = true;
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
