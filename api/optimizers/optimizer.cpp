#include <strata/api/optimizers/optimizers.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <strata/backends/ops/ops.hpp>

namespace strata {

namespace {
void check_learning_rate(const std::string& name, double value) {
  if (!(value >= 0.0) || !std::isfinite(value))
    throw ValueError("Optimizer '" + name + "': learning_rate must be a non-negative number, got " +
                     std::to_string(value));
}
}  // namespace

Optimizer::Optimizer(std::string name, double learning_rate) : name_(std::move(name)) {
  check_learning_rate(name_, learning_rate);
  iterations_ = std::make_unique<Variable>("iteration", Shape{}, DType::int64, false);
  iterations_->set_path(name_ + "/iteration");
  learning_rate_ = std::make_unique<Variable>("learning_rate", Shape{}, DType::float32, false);
  learning_rate_->set_path(name_ + "/learning_rate");
  learning_rate_->assign_scalar(learning_rate);
}

nlohmann::json Optimizer::get_config() const {
  return {{"name", name_},
          {"learning_rate", learning_rate()},
          {"weight_decay", nullptr},
          {"clipnorm", nullptr},
          {"global_clipnorm", nullptr},
          {"clipvalue", nullptr},
          {"use_ema", false},
          {"ema_momentum", 0.99},
          {"ema_overwrite_frequency", nullptr},
          {"loss_scale_factor", nullptr},
          {"gradient_accumulation_steps", nullptr}};
}

void Optimizer::set_learning_rate(double value) {
  check_learning_rate(name_, value);
  learning_rate_->assign_scalar(value);
}

void Optimizer::build(const std::vector<Variable*>& variables) {
  std::vector<std::string> names = slot_names();
  for (Variable* v : variables) {
    bool known = std::any_of(slots_.begin(), slots_.end(), [v](const Slots& s) { return s.variable == v; });
    if (known) continue;
    Slots s{v, {}};
    std::string base = v->path();
    std::replace(base.begin(), base.end(), '/', '_');
    for (const auto& slot : names) {
      // Keras's add_variable_from_reference: "<variable path, / as _>_<slot>", zero-filled
      auto var = std::make_unique<Variable>(base + "_" + slot, v->shape(), DType::float32, false);
      var->set_path(name_ + "/" + var->name());
      s.slots.push_back(std::move(var));
    }
    slots_.push_back(std::move(s));
  }
}

void Optimizer::apply(Graph& graph, const std::vector<Variable*>& variables, const std::vector<Value>& gradients) {
  if (variables.size() != gradients.size())
    throw ValueError("Optimizer '" + name_ + "': " + std::to_string(variables.size()) + " variables but " +
                     std::to_string(gradients.size()) + " gradients");
  build(variables);
  LayerScope scope(graph, name_);
  OptimizerUpdateAttrs attrs = update_attrs();
  Value lr = graph.add_variable(*learning_rate_);
  Value iterations = graph.add_variable(*iterations_);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (!gradients[i].valid()) continue;
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slots& s) { return s.variable == variables[i]; });
    std::vector<Value> slot_values;
    for (auto& slot : it->slots) slot_values.push_back(graph.add_variable(*slot));
    ops::optimizer_update(attrs, graph.add_variable(*variables[i]), gradients[i], slot_values, lr, iterations);
  }
  ops::assign_add(iterations, 1);
}

std::vector<Variable*> Optimizer::variables() const {
  std::vector<Variable*> out{iterations_.get(), learning_rate_.get()};
  std::vector<std::string> names = slot_names();
  for (const auto& group : slot_groups())
    for (const auto& s : slots_)
      for (const auto& slot : group) {
        auto at = std::find(names.begin(), names.end(), slot);
        if (at != names.end()) out.push_back(s.slots[at - names.begin()].get());
      }
  return out;
}

OptimizerArg::OptimizerArg(const char* identifier) : optimizer_(optimizers::get(identifier)) {}
OptimizerArg::OptimizerArg(const std::string& identifier) : optimizer_(optimizers::get(identifier)) {}

namespace optimizers {

std::shared_ptr<Optimizer> get(const std::string& identifier) {
  // Keras matches optimizer class names case-insensitively ("adam", "Adam", "RMSprop")
  static const std::map<std::string, std::function<std::shared_ptr<Optimizer>()>> registry = {
      {"sgd", [] { return std::make_shared<SGD>(); }},
      {"adam", [] { return std::make_shared<Adam>(); }},
      {"rmsprop", [] { return std::make_shared<RMSprop>(); }},
  };
  std::string key = identifier;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = registry.find(key);
  if (it == registry.end())
    throw ValueError("Could not interpret optimizer identifier: '" + identifier +
                     "'. Valid identifiers: sgd, adam, rmsprop (any case)");
  return it->second();
}

}  // namespace optimizers
}  // namespace strata
