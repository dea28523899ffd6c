#include <strata/api/optimizers/adagrad.hpp>

namespace strata::optimizers {

Adagrad::Adagrad(AdagradOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json Adagrad::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["initial_accumulator_value"] = options_.initial_accumulator_value;
  c["epsilon"] = options_.epsilon;
  return c;
}

OptimizerUpdateAttrs Adagrad::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::adagrad;
  a.epsilon = options_.epsilon;
  return a;
}

}  // namespace strata::optimizers
