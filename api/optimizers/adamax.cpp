#include <strata/api/optimizers/adamax.hpp>

namespace strata::optimizers {

Adamax::Adamax(AdamaxOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json Adamax::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["beta_1"] = options_.beta_1;
  c["beta_2"] = options_.beta_2;
  c["epsilon"] = options_.epsilon;
  return c;
}

OptimizerUpdateAttrs Adamax::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::adamax;
  a.beta_1 = options_.beta_1;
  a.beta_2 = options_.beta_2;
  a.epsilon = options_.epsilon;
  return a;
}

}  // namespace strata::optimizers
