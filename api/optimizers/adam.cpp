#include <strata/api/optimizers/adam.hpp>

namespace strata::optimizers {

Adam::Adam(AdamOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json Adam::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["beta_1"] = options_.beta_1;
  c["beta_2"] = options_.beta_2;
  c["epsilon"] = options_.epsilon;
  c["amsgrad"] = options_.amsgrad;
  return c;
}

std::vector<std::string> Adam::slot_names() const {
  if (options_.amsgrad) return {"momentum", "velocity", "velocity_hat"};
  return {"momentum", "velocity"};
}

std::vector<std::vector<std::string>> Adam::slot_groups() const {
  if (options_.amsgrad) return {{"momentum", "velocity"}, {"velocity_hat"}};
  return {{"momentum", "velocity"}};
}

OptimizerUpdateAttrs Adam::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::adam;
  a.beta_1 = options_.beta_1;
  a.beta_2 = options_.beta_2;
  a.epsilon = options_.epsilon;
  a.amsgrad = options_.amsgrad;
  return a;
}

}  // namespace strata::optimizers
