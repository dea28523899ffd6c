#pragma once
#include <memory>

#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct LossScaleOptimizerOptions {
  double initial_scale = 32768.0;          // 2 ** 15
  std::int64_t dynamic_growth_steps = 2000;  // finite steps after which the scale doubles
  std::string name = "loss_scale_optimizer";
};

/// keras.optimizers.LossScaleOptimizer: the loss is multiplied by a dynamic scale before the gradients, which are
/// divided by it again before the inner optimizer's update. A step with any non-finite gradient is skipped (no
/// write to the variables or the inner optimizer's state) and halves the scale; dynamic_growth_steps finite steps
/// in a row double it. Variables: its own iteration and learning_rate (unused, as in Keras), step_counter,
/// dynamic_scale, then the inner optimizer's.
class LossScaleOptimizer : public Optimizer {
 public:
  explicit LossScaleOptimizer(OptimizerArg inner_optimizer, LossScaleOptimizerOptions options = {});
  std::string class_name() const override { return "LossScaleOptimizer"; }
  nlohmann::json get_config() const override;

  void build(const std::vector<Variable*>& variables) override;
  void apply(Graph& graph, const std::vector<Variable*>& variables, const std::vector<Value>& gradients,
             Value gate = {}) override;
  Value scale_loss(Graph& graph, Value loss) override;
  void prepare_step() override { inner_->prepare_step(); }
  double learning_rate() const override { return inner_->learning_rate(); }
  void set_learning_rate(LearningRate value) override { inner_->set_learning_rate(std::move(value)); }
  const std::shared_ptr<schedules::LearningRateSchedule>& learning_rate_schedule() const override {
    return inner_->learning_rate_schedule();
  }
  std::int64_t iterations() const override { return inner_->iterations(); }
  Optimizer* ema_optimizer() override { return inner_->ema_optimizer(); }
  void finalize_variable_values() override { inner_->finalize_variable_values(); }
  std::vector<Variable*> variables() const override;

  const std::shared_ptr<Optimizer>& inner_optimizer() const { return inner_; }
  double initial_scale() const { return options_.initial_scale; }
  std::int64_t dynamic_growth_steps() const { return options_.dynamic_growth_steps; }
  /// The current loss scale and the finite steps since it last changed.
  double dynamic_scale() const { return dynamic_scale_->scalar(); }
  std::int64_t step_counter() const { return static_cast<std::int64_t>(step_counter_->scalar()); }

 protected:
  std::vector<std::string> slot_names() const override { return {}; }
  OptimizerUpdateAttrs update_attrs() const override { return {}; }
  std::vector<Variable*> own_variables() const override { return {step_counter_.get(), dynamic_scale_.get()}; }

 private:
  std::shared_ptr<Optimizer> inner_;
  LossScaleOptimizerOptions options_;
  std::unique_ptr<Variable> step_counter_, dynamic_scale_;
};

}  // namespace strata::optimizers
