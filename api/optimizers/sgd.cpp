#include <strata/api/optimizers/sgd.hpp>

namespace strata::optimizers {

SGD::SGD(SGDOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {
  if (!(options_.momentum >= 0.0 && options_.momentum <= 1.0))
    throw ValueError("Optimizer '" + name() + "': `momentum` must be a float between [0, 1], got " +
                     std::to_string(options_.momentum));
}

nlohmann::json SGD::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["momentum"] = options_.momentum;
  c["nesterov"] = options_.nesterov;
  return c;
}

std::vector<std::string> SGD::slot_names() const {
  if (options_.momentum != 0.0) return {"momentum"};
  return {};
}

OptimizerUpdateAttrs SGD::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::sgd;
  a.momentum = options_.momentum;
  a.nesterov = options_.nesterov;
  return a;
}

}  // namespace strata::optimizers
