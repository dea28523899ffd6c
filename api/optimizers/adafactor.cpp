#include <strata/api/optimizers/adafactor.hpp>

#include <algorithm>

namespace strata::optimizers {

Adafactor::Adafactor(AdafactorOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {}

nlohmann::json Adafactor::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["beta_2_decay"] = options_.beta_2_decay;
  c["epsilon_1"] = options_.epsilon_1;
  c["epsilon_2"] = options_.epsilon_2;
  c["clip_threshold"] = options_.clip_threshold;
  c["relative_step"] = options_.relative_step;
  return c;
}

std::vector<Optimizer::SlotSpec> Adafactor::slot_specs(const Variable& variable) const {
  std::string base = variable.path();
  std::replace(base.begin(), base.end(), '/', '_');
  SlotSpec velocity{base + "_velocity", name() + "/" + base + "_velocity", variable.shape()};
  const Shape& shape = variable.shape();
  if (shape.size() < 2) {
    // Keras makes untracked-scope int stand-ins named (and pathed) after the variable
    return {{variable.name(), variable.name(), Shape{}, DType::int64},
            {variable.name(), variable.name(), Shape{}, DType::int64},
            velocity};
  }
  Shape r(shape.begin(), shape.end() - 1);
  Shape c(shape.begin(), shape.end() - 2);
  c.push_back(shape.back());
  return {{variable.name(), name() + "/" + variable.name(), r}, {variable.name(), name() + "/" + variable.name(), c},
          velocity};
}

OptimizerUpdateAttrs Adafactor::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::adafactor;
  a.beta_2_decay = options_.beta_2_decay;
  a.epsilon_1 = options_.epsilon_1;
  a.epsilon_2 = options_.epsilon_2;
  a.clip_threshold = options_.clip_threshold;
  // Keras applies the relative step to a constant rate only, never to a schedule
  a.relative_step = options_.relative_step && !learning_rate_schedule();
  return a;
}

void Adafactor::adjust_attrs(OptimizerUpdateAttrs& attrs, const Variable& variable) const {
  attrs.factored = variable.shape().size() >= 2;
}

}  // namespace strata::optimizers
