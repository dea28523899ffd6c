#include <strata/api/optimizers/optimizers.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <regex>

#include <strata/backends/backend.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

namespace {

std::string number_str(double value) { return nlohmann::json(value).dump(); }

void check_learning_rate(const std::string& name, double value) {
  if (!(value >= 0.0) || !std::isfinite(value))
    throw ValueError("Optimizer '" + name + "': learning_rate must be a non-negative number, got " + number_str(value));
}

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json optional_json(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

Optimizer::Optimizer(std::string name, LearningRate learning_rate, OptimizerCommonOptions common)
    : name_(std::move(name)), common_(common), schedule_(learning_rate.schedule()) {
  if (!schedule_) check_learning_rate(name_, learning_rate.value());
  const int clip_args = common_.clipnorm.has_value() + common_.clipvalue.has_value() +
                        common_.global_clipnorm.has_value();
  if (clip_args > 1)
    throw ValueError("Optimizer '" + name_ + "': Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                     "set. Received: clipnorm=" + optional_json(common_.clipnorm).dump() +
                     ", clipvalue=" + optional_json(common_.clipvalue).dump() +
                     ", global_clipnorm=" + optional_json(common_.global_clipnorm).dump());
  for (const auto& [what, v] : {std::pair{"weight_decay", common_.weight_decay}, {"clipnorm", common_.clipnorm},
                                {"clipvalue", common_.clipvalue}, {"global_clipnorm", common_.global_clipnorm}})
    if (v && !std::isfinite(*v))
      throw ValueError("Optimizer '" + name_ + "': `" + what + "` must be a finite number, got " + number_str(*v));
  // Keras's checks and wording
  if (common_.gradient_accumulation_steps && *common_.gradient_accumulation_steps < 2)
    throw ValueError("Optimizer '" + name_ + "': `gradient_accumulation_steps` must be an integer >= 2. Received: "
                     "gradient_accumulation_steps=" + std::to_string(*common_.gradient_accumulation_steps));
  if (common_.use_ema) {
    if (!(common_.ema_momentum >= 0.0 && common_.ema_momentum <= 1.0))
      throw ValueError("Optimizer '" + name_ + "': `ema_momentum` must be in the range [0, 1]. Received: "
                       "ema_momentum=" + number_str(common_.ema_momentum));
    if (common_.ema_overwrite_frequency && *common_.ema_overwrite_frequency < 1)
      throw ValueError("Optimizer '" + name_ + "': `ema_overwrite_frequency` must be an integer >= 1 or None. "
                       "Received: ema_overwrite_frequency=" + std::to_string(*common_.ema_overwrite_frequency));
  }
  if (common_.loss_scale_factor && !(std::isfinite(*common_.loss_scale_factor) && *common_.loss_scale_factor != 0.0))
    throw ValueError("Optimizer '" + name_ + "': `loss_scale_factor` must be a finite nonzero number, got " +
                     number_str(*common_.loss_scale_factor));
  iterations_ = std::make_unique<Variable>("iteration", Shape{}, DType::int64, false);
  iterations_->set_path(name_ + "/iteration");
  learning_rate_ = std::make_unique<Variable>("learning_rate", Shape{}, DType::float32, false);
  learning_rate_->set_path(name_ + "/learning_rate");
  learning_rate_->assign_scalar(schedule_ ? (*schedule_)(0) : learning_rate.value());
}

nlohmann::json Optimizer::get_config() const {
  return {{"name", name_},
          {"learning_rate", schedule_ ? optimizers::schedules::serialize(*schedule_) : nlohmann::json(learning_rate())},
          {"weight_decay", optional_json(common_.weight_decay)},
          {"clipnorm", optional_json(common_.clipnorm)},
          {"global_clipnorm", optional_json(common_.global_clipnorm)},
          {"clipvalue", optional_json(common_.clipvalue)},
          {"use_ema", common_.use_ema},
          {"ema_momentum", common_.ema_momentum},
          {"ema_overwrite_frequency", optional_json(common_.ema_overwrite_frequency)},
          {"loss_scale_factor", optional_json(common_.loss_scale_factor)},
          {"gradient_accumulation_steps", optional_json(common_.gradient_accumulation_steps)}};
}

double Optimizer::learning_rate() const {
  if (schedule_) return (*schedule_)(iterations());
  return learning_rate_->scalar();
}

std::int64_t Optimizer::iterations() const {
  const auto stored = static_cast<std::int64_t>(iterations_->scalar());
  return common_.gradient_accumulation_steps ? stored / *common_.gradient_accumulation_steps : stored;
}

Value Optimizer::scale_loss(Graph& graph, Value loss) {
  if (!common_.loss_scale_factor) return loss;
  return loss * static_cast<float>(*common_.loss_scale_factor);
}

void Optimizer::finalize_variable_values() {
  for (const auto& s : slots_)
    if (s.average) s.variable->assign(s.average->value());
}

std::vector<std::pair<Variable*, Variable*>> Optimizer::ema_variables() const {
  std::vector<std::pair<Variable*, Variable*>> out;
  for (const auto& s : slots_)
    if (s.average) out.emplace_back(s.variable, s.average.get());
  return out;
}

void Optimizer::set_learning_rate(LearningRate value) {
  if (value.is_schedule()) {
    schedule_ = value.schedule();
    prepare_step();
    return;
  }
  if (schedule_)
    throw ValueError("Optimizer '" + name_ + "': this optimizer was created with a LearningRateSchedule (" +
                     schedule_->class_name() + ") as its learning_rate, hence its learning rate is not settable to " +
                     number_str(value.value()) + ". If you need the learning rate to be settable, create the "
                     "optimizer with a number as learning_rate");
  check_learning_rate(name_, value.value());
  learning_rate_->assign_scalar(value.value());
}

void Optimizer::prepare_step() {
  if (!schedule_) return;
  std::int64_t step = 0;
  backend().copy_to_host(&step, iterations_->data(), sizeof step);
  if (common_.gradient_accumulation_steps) step /= *common_.gradient_accumulation_steps;
  const float lr = (*schedule_)(step);
  backend().copy_to_device(learning_rate_->data(), &lr, sizeof lr);
}

void Optimizer::exclude_from_weight_decay(std::vector<const Variable*> variables, std::vector<std::string> var_names) {
  if (built_)
    throw ValueError("Optimizer '" + name_ + "': `exclude_from_weight_decay()` can only be configured before the "
                     "optimizer is built");
  for (const auto& pattern : var_names) {
    try {
      std::regex check(pattern);
    } catch (const std::regex_error& e) {
      throw ValueError("Optimizer '" + name_ + "': exclude_from_weight_decay: '" + pattern +
                       "' is not a valid regular expression (" + e.what() + ")");
    }
  }
  no_decay_variables_ = std::move(variables);
  no_decay_names_ = std::move(var_names);
}

bool Optimizer::use_weight_decay(const Variable& variable) const {
  if (!common_.weight_decay) return false;
  if (std::find(no_decay_variables_.begin(), no_decay_variables_.end(), &variable) != no_decay_variables_.end())
    return false;
  for (const auto& pattern : no_decay_names_)
    if (std::regex_search(variable.name(), std::regex(pattern))) return false;
  return true;
}

std::vector<Optimizer::SlotSpec> Optimizer::slot_specs(const Variable& variable) const {
  std::string base = variable.path();
  std::replace(base.begin(), base.end(), '/', '_');
  std::vector<SlotSpec> out;
  // Keras's add_variable_from_reference: "<variable path, / as _>_<slot>"
  for (const auto& slot : slot_names())
    out.push_back({base + "_" + slot, name_ + "/" + base + "_" + slot, variable.shape(), DType::float32,
                   slot_initial_value(slot)});
  return out;
}

void Optimizer::build(const std::vector<Variable*>& variables) {
  for (Variable* v : variables) {
    bool known = std::any_of(slots_.begin(), slots_.end(), [v](const Slots& s) { return s.variable == v; });
    if (known) continue;
    Slots s{v, {}, nullptr, nullptr};
    std::string base = v->path();
    std::replace(base.begin(), base.end(), '/', '_');
    auto from_reference = [&](const std::string& slot) {
      auto var = std::make_unique<Variable>(base + "_" + slot, v->shape(), DType::float32, false);
      var->set_path(name_ + "/" + var->name());
      return var;
    };
    if (common_.use_ema) s.average = from_reference("average");
    if (common_.gradient_accumulation_steps) s.accumulator = from_reference("gradient_accumulator");
    for (const auto& spec : slot_specs(*v)) {
      auto var = std::make_unique<Variable>(spec.name, spec.shape, spec.dtype, false);
      var->set_path(spec.path);
      if (spec.initial != 0.0) var->assign(Tensor::full(spec.shape, static_cast<float>(spec.initial)));
      s.slots.push_back(std::move(var));
    }
    slots_.push_back(std::move(s));
  }
  built_ = true;
}

std::vector<Value> Optimizer::clip_gradients(Graph& graph, const std::vector<Value>& gradients) const {
  auto squared_sum = [](Value g) { return g.ndim() == 0 ? ops::square(g) : ops::sum(ops::square(g)); };
  std::vector<Value> out = gradients;
  if (common_.clipnorm && *common_.clipnorm > 0) {
    // Keras's _clip_by_norm: g * clipnorm / max(||g||, clipnorm), per gradient
    const float clipnorm = static_cast<float>(*common_.clipnorm);
    Value limit = graph.scalar(clipnorm);
    for (auto& g : out)
      if (g.valid()) g = g * clipnorm / ops::maximum(ops::sqrt(squared_sum(g)), limit);
  } else if (common_.global_clipnorm && *common_.global_clipnorm > 0) {
    // Keras's clip_by_global_norm; the (norm - norm) term turns an infinite or NaN norm into a NaN scale
    const double clip = *common_.global_clipnorm;
    Value total;
    for (const auto& g : out)
      if (g.valid()) total = total.valid() ? total + squared_sum(g) : squared_sum(g);
    if (!total.valid()) return out;
    Value norm = ops::sqrt(total);
    Value scale = ops::minimum(1.0f / norm, graph.scalar(static_cast<float>(1.0 / clip))) * static_cast<float>(clip) +
                  (norm - norm);
    for (auto& g : out)
      if (g.valid()) g = g * scale;
  } else if (common_.clipvalue && *common_.clipvalue > 0) {
    const float v = static_cast<float>(*common_.clipvalue);
    for (auto& g : out)
      if (g.valid()) g = ops::clip(g, -v, v);
  }
  return out;
}

void Optimizer::apply(Graph& graph, const std::vector<Variable*>& variables, const std::vector<Value>& gradients,
                      Value gate) {
  if (variables.size() != gradients.size())
    throw ValueError("Optimizer '" + name_ + "': " + std::to_string(variables.size()) + " variables but " +
                     std::to_string(gradients.size()) + " gradients");
  build(variables);
  LayerScope scope(graph, name_);
  const OptimizerUpdateAttrs attrs = update_attrs();
  Value lr = graph.add_variable(*learning_rate_);
  Value iterations = graph.add_variable(*iterations_);
  auto slots_of = [&](const Variable* v) {
    return std::find_if(slots_.begin(), slots_.end(), [&](const Slots& s) { return s.variable == v; });
  };
  auto both = [](Value a, Value b) { return !a.valid() ? b : (!b.valid() ? a : a * b); };
  std::vector<Value> grads = gradients;
  // Keras's apply: unscale by loss_scale_factor first
  if (common_.loss_scale_factor)
    for (auto& g : grads)
      if (g.valid()) g = g / static_cast<float>(*common_.loss_scale_factor);
  const std::int64_t steps = common_.gradient_accumulation_steps.value_or(1);
  Value update_gate = gate;
  std::vector<Value> new_accumulators(grads.size());
  if (common_.gradient_accumulation_steps) {
    // Keras: on every steps-th step the update uses (g + accumulated) / steps and the accumulators restart at 0;
    // on the others only the accumulators move
    Value is_update = ops::step_condition({StepConditionKind::multiple, 1, 1, steps, 0}, {iterations});
    for (std::size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].valid()) continue;
      Value sum = grads[i] + graph.add_variable(*slots_of(variables[i])->accumulator);
      new_accumulators[i] = sum * (1.0f - is_update);
      grads[i] = sum / static_cast<float>(steps);
    }
    update_gate = both(gate, is_update);
  }
  grads = clip_gradients(graph, grads);
  Value step = ops::step_condition({StepConditionKind::count, steps, 0, 1, 0}, {iterations});
  std::vector<Value> extra = begin_step(graph, step, update_gate);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (!grads[i].valid()) continue;
    auto it = slots_of(variables[i]);
    std::vector<Value> slot_values;
    for (auto& slot : it->slots) slot_values.push_back(graph.add_variable(*slot));
    OptimizerUpdateAttrs a = attrs;
    a.iteration_divisor = steps;
    adjust_attrs(a, *variables[i]);
    if (use_weight_decay(*variables[i])) {
      a.use_weight_decay = true;
      a.weight_decay = *common_.weight_decay;
    }
    ops::optimizer_update(a, graph.add_variable(*variables[i]), grads[i], slot_values, lr, iterations, extra,
                          update_gate);
  }
  for (std::size_t i = 0; i < variables.size(); ++i)
    if (new_accumulators[i].valid())
      ops::assign(graph.add_variable(*slots_of(variables[i])->accumulator), new_accumulators[i], gate);
  if (common_.use_ema) {
    // Keras's _update_model_variables_moving_average: the first step copies the variables (momentum 0), on every
    // step, accumulating or not
    Value not_first = ops::step_condition({StepConditionKind::at_least, steps, 0, 1, 1}, {iterations});
    Value momentum = not_first * static_cast<float>(common_.ema_momentum);
    Value keep = 1.0f - momentum;
    for (const auto& s : slots_) {
      Value average = graph.add_variable(*s.average);
      ops::assign(average, momentum * average + keep * graph.add_variable(*s.variable), gate);
    }
    if (common_.ema_overwrite_frequency) {
      Value overwrite = ops::step_condition(
          {StepConditionKind::multiple, steps, 1, static_cast<std::int64_t>(*common_.ema_overwrite_frequency), 0},
          {iterations});
      for (const auto& s : slots_)
        ops::assign(graph.add_variable(*s.variable), graph.add_variable(*s.average), both(gate, overwrite));
    }
  }
  ops::assign_add(iterations, 1, gate);
}

std::vector<Variable*> Optimizer::variables() const {
  std::vector<Variable*> out{iterations_.get()};
  if (!schedule_) out.push_back(learning_rate_.get());
  for (const auto& s : slots_)
    if (s.average) out.push_back(s.average.get());
  for (const auto& s : slots_)
    if (s.accumulator) out.push_back(s.accumulator.get());
  const auto groups = slot_groups();
  if (groups.size() <= 1) {
    for (const auto& s : slots_)
      for (const auto& slot : s.slots) out.push_back(slot.get());
  } else {
    std::vector<std::string> names = slot_names();
    for (const auto& group : groups)
      for (const auto& s : slots_)
        for (const auto& slot : group) {
          auto at = std::find(names.begin(), names.end(), slot);
          if (at != names.end()) out.push_back(s.slots[at - names.begin()].get());
        }
  }
  if (built_)
    for (Variable* v : own_variables()) out.push_back(v);
  return out;
}

OptimizerArg::OptimizerArg(const char* identifier) : optimizer_(optimizers::get(identifier)) {}
OptimizerArg::OptimizerArg(const std::string& identifier) : optimizer_(optimizers::get(identifier)) {}

namespace optimizers {

std::shared_ptr<Optimizer> get(const std::string& identifier) {
  // Keras matches optimizer class names case-insensitively ("adam", "Adam", "RMSprop", "adamw")
  static const std::map<std::string, std::function<std::shared_ptr<Optimizer>()>> registry = {
      {"adadelta", [] { return std::make_shared<Adadelta>(); }},
      {"adafactor", [] { return std::make_shared<Adafactor>(); }},
      {"adagrad", [] { return std::make_shared<Adagrad>(); }},
      {"adam", [] { return std::make_shared<Adam>(); }},
      {"adamax", [] { return std::make_shared<Adamax>(); }},
      {"adamw", [] { return std::make_shared<AdamW>(); }},
      {"ftrl", [] { return std::make_shared<Ftrl>(); }},
      {"lion", [] { return std::make_shared<Lion>(); }},
      {"nadam", [] { return std::make_shared<Nadam>(); }},
      {"rmsprop", [] { return std::make_shared<RMSprop>(); }},
      {"sgd", [] { return std::make_shared<SGD>(); }},
  };
  std::string key = identifier;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = registry.find(key);
  if (it == registry.end()) {
    std::string valid;
    for (const auto& [name, make] : registry) valid += (valid.empty() ? "" : ", ") + name;
    throw ValueError("Could not interpret optimizer identifier: '" + identifier + "'. Valid identifiers: " + valid +
                     " (any case)");
  }
  return it->second();
}

}  // namespace optimizers
}  // namespace strata
