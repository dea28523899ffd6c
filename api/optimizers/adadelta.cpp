#include <strata/api/optimizers/adadelta.hpp>

namespace strata::optimizers {

Adadelta::Adadelta(AdadeltaOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json Adadelta::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["rho"] = options_.rho;
  c["epsilon"] = options_.epsilon;
  return c;
}

OptimizerUpdateAttrs Adadelta::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::adadelta;
  a.rho = options_.rho;
  a.epsilon = options_.epsilon;
  return a;
}

}  // namespace strata::optimizers
