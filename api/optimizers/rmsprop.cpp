#include <strata/api/optimizers/rmsprop.hpp>

namespace strata::optimizers {

RMSprop::RMSprop(RMSpropOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json RMSprop::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["rho"] = options_.rho;
  c["momentum"] = options_.momentum;
  c["epsilon"] = options_.epsilon;
  c["centered"] = options_.centered;
  return c;
}

std::vector<std::string> RMSprop::slot_names() const {
  std::vector<std::string> names{"velocity"};
  if (options_.momentum > 0.0) names.push_back("momentum");
  if (options_.centered) names.push_back("average_gradient");
  return names;
}

std::vector<std::vector<std::string>> RMSprop::slot_groups() const {
  std::vector<std::vector<std::string>> groups;
  for (auto& n : slot_names()) groups.push_back({n});
  return groups;
}

OptimizerUpdateAttrs RMSprop::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::rmsprop;
  a.rho = options_.rho;
  a.momentum = options_.momentum;
  a.epsilon = options_.epsilon;
  a.centered = options_.centered;
  return a;
}

}  // namespace strata::optimizers
