#include <strata/layers/regularization/activity_regularization.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

ActivityRegularization::ActivityRegularization(ActivityRegularizationOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)) {
  if (!(options_.l1 >= 0.0) || !(options_.l2 >= 0.0))
    throw ValueError(where() + "l1 and l2 must be non-negative floats. Received: l1=" + std::to_string(options_.l1) +
                     ", l2=" + std::to_string(options_.l2));
}

Value ActivityRegularization::call(Value x, CallContext& ctx) {
  Value penalty;
  if (options_.l1 != 0.0) penalty = ops::sum(ops::abs(x)) * static_cast<float>(options_.l1);
  if (options_.l2 != 0.0) {
    Value l2 = ops::sum(ops::square(x)) * static_cast<float>(options_.l2);
    penalty = penalty.valid() ? penalty + l2 : l2;
  }
  // Keras divides by the batch size (divide_no_nan: an empty batch adds nothing)
  if (penalty.valid() && x.ndim() > 0 && x.dim(0) > 0) ctx.add_loss(penalty * (1.0f / static_cast<float>(x.dim(0))));
  return x;
}

nlohmann::json ActivityRegularization::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["l1"] = options_.l1;
  c["l2"] = options_.l2;
  return c;
}

std::shared_ptr<ActivityRegularization> ActivityRegularization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "ActivityRegularization");
  auto layer = std::make_shared<ActivityRegularization>(ActivityRegularizationOptions{
      .l1 = c.get_double("l1", 0.0), .l2 = c.get_double("l2", 0.0), .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
