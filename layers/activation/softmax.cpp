#include <strata/layers/activation/softmax.hpp>

#include <strata/api/activations.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Softmax::Softmax(SoftmaxOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)), axis_was_list_(options_.axis.size() != 1) {
  if (options_.axis.empty()) throw ValueError(where() + "`axis` must name at least one axis. Received: axis=[]");
}

Value Softmax::call(Value x, CallContext& ctx) {
  for (int a : options_.axis)
    if (a < -x.ndim() || a >= x.ndim())
      throw ShapeError(where() + "axis " + std::to_string(a) + " is out of bounds for input shape " +
                       shape_str(x.shape()));
  if (options_.axis.size() == 1) return activations::softmax(x, options_.axis[0]);
  // several axes: exp(x - logsumexp(x)), with the maximum subtracted first for range
  Value shifted = x - ops::max(x, options_.axis, true);
  Value e = ops::exp(shifted);
  return e / ops::sum(e, options_.axis, true);
}

nlohmann::json Softmax::get_config() const {
  nlohmann::json c = Layer::get_config();
  if (axis_was_list_)
    c["axis"] = options_.axis;
  else
    c["axis"] = options_.axis[0];
  return c;
}

std::shared_ptr<Softmax> Softmax::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Softmax");
  SoftmaxOptions o{.name = c.name(), .input_shape = c.input_shape()};
  if (c.has("axis")) {
    o.axis.clear();
    for (auto a : c.get_int_list("axis")) o.axis.push_back(static_cast<int>(a));
  }
  auto layer = std::make_shared<Softmax>(o);
  if (config.contains("axis") && config.at("axis").is_array()) layer->axis_was_list_ = true;
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
