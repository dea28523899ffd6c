#include <strata/api/optimizers/loss_scale_optimizer.hpp>

#include <cmath>

#include <strata/backends/ops/ops.hpp>

namespace strata::optimizers {

LossScaleOptimizer::LossScaleOptimizer(OptimizerArg inner_optimizer, LossScaleOptimizerOptions options)
    : Optimizer(options.name, 0.0), inner_(inner_optimizer.get()), options_(std::move(options)) {
  if (!inner_) throw ValueError("Optimizer '" + name() + "': LossScaleOptimizer needs an inner optimizer");
  if (dynamic_cast<LossScaleOptimizer*>(inner_.get()))
    throw ValueError("Optimizer '" + name() + "': the inner optimizer is already a LossScaleOptimizer");
  if (!(std::isfinite(options_.initial_scale) && options_.initial_scale > 0))
    throw ValueError("Optimizer '" + name() + "': `initial_scale` must be a positive number. Received: initial_scale=" +
                     nlohmann::json(options_.initial_scale).dump());
  if (options_.dynamic_growth_steps < 1)
    throw ValueError("Optimizer '" + name() + "': `dynamic_growth_steps` must be an integer >= 1. Received: "
                     "dynamic_growth_steps=" + std::to_string(options_.dynamic_growth_steps));
  // the inner optimizer's own loss scaling is off, or the gradients would be scaled twice (as in Keras)
  disable_loss_scale_factor(*inner_);
  step_counter_ = std::make_unique<Variable>("step_counter", Shape{}, DType::int64, false);
  step_counter_->set_path(name() + "/step_counter");
  dynamic_scale_ = std::make_unique<Variable>("dynamic_scale", Shape{}, DType::float32, false);
  dynamic_scale_->set_path(name() + "/dynamic_scale");
  dynamic_scale_->assign_scalar(options_.initial_scale);
}

nlohmann::json LossScaleOptimizer::get_config() const {
  // only these keys, as Keras writes them
  return {{"name", name()},
          {"inner_optimizer",
           {{"module", "keras.optimizers"},
            {"class_name", inner_->class_name()},
            {"config", inner_->get_config()},
            {"registered_name", nullptr}}},
          {"initial_scale", options_.initial_scale},
          {"dynamic_growth_steps", options_.dynamic_growth_steps}};
}

void LossScaleOptimizer::build(const std::vector<Variable*>& variables) {
  inner_->build(variables);
  Optimizer::build(variables);
}

std::vector<Variable*> LossScaleOptimizer::variables() const {
  std::vector<Variable*> out = Optimizer::variables();
  for (Variable* v : inner_->variables()) out.push_back(v);
  return out;
}

Value LossScaleOptimizer::scale_loss(Graph& graph, Value loss) { return loss * graph.add_variable(*dynamic_scale_); }

void LossScaleOptimizer::apply(Graph& graph, const std::vector<Variable*>& variables,
                               const std::vector<Value>& gradients, Value gate) {
  build(variables);
  Value finite;
  {
    LayerScope scope(graph, name());
    std::vector<Value> present;
    for (const auto& g : gradients)
      if (g.valid()) present.push_back(g);
    if (present.empty()) return;
    finite = ops::step_condition({StepConditionKind::all_finite, 1, 0, 1, 0}, present);
    if (gate.valid()) finite = finite * gate;
  }
  // the gradients are unscaled by the scale the loss was multiplied with, before the scale moves
  Value scale = graph.add_variable(*dynamic_scale_);
  std::vector<Value> unscaled = gradients;
  for (auto& g : unscaled)
    if (g.valid()) g = g / scale;
  inner_->apply(graph, variables, unscaled, finite);
  LayerScope scope(graph, name());
  Value counter = graph.add_variable(*step_counter_);
  // Keras: finite and step_counter == dynamic_growth_steps - 1 doubles the scale and restarts the count; finite
  // otherwise counts; non-finite halves the scale and restarts the count
  Value grow = ops::step_condition({StepConditionKind::multiple, 1, 1, options_.dynamic_growth_steps, 0}, {counter}) *
               finite;
  Value factor = finite * 0.5f + 0.5f + grow;
  ops::assign(scale, scale * factor);
  Value keep_counting = finite * (1.0f - grow);
  ops::assign_add(counter, 1, keep_counting);
  ops::assign(counter, graph.add_constant(Tensor::zeros(Shape{}, DType::int64), "zero"), 1.0f - keep_counting);
}

}  // namespace strata::optimizers
