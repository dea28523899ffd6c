#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "adagrad";
};

/// keras.optimizers.Adagrad: per-element rates scaled by the root of the summed squared gradients;
/// slot: accumulator (starting at initial_accumulator_value).
class Adagrad : public Optimizer {
 public:
  explicit Adagrad(AdagradOptions options = {});
  std::string class_name() const override { return "Adagrad"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"accumulator"}; }
  double slot_initial_value(const std::string& slot) const override { return options_.initial_accumulator_value; }
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  AdagradOptions options_;
};

}  // namespace strata::optimizers
