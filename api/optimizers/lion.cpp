#include <strata/api/optimizers/lion.hpp>

namespace strata::optimizers {

Lion::Lion(LionOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {
  if (options_.beta_1 <= 0 || options_.beta_1 > 1)
    throw ValueError("Optimizer '" + name() + "' (Lion): Argument `beta_1` must be in the [0, 1] range. Otherwise, "
                     "the optimizer degenerates to SignSGD. Received: beta_1=" +
                     nlohmann::json(options_.beta_1).dump() + ".");
}

nlohmann::json Lion::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["beta_1"] = options_.beta_1;
  c["beta_2"] = options_.beta_2;
  return c;
}

OptimizerUpdateAttrs Lion::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::lion;
  a.beta_1 = options_.beta_1;
  a.beta_2 = options_.beta_2;
  return a;
}

}  // namespace strata::optimizers
