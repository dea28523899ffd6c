#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "rm_sprop";  // Keras 3's default name (snake_case of the class name)
};

/// keras.optimizers.RMSprop; slots: velocity, then momentum (if momentum > 0), then average_gradient
/// (if centered), each group over all variables.
class RMSprop : public Optimizer {
 public:
  explicit RMSprop(RMSpropOptions options = {});
  std::string class_name() const override { return "RMSprop"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override;
  std::vector<std::vector<std::string>> slot_groups() const override;
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  RMSpropOptions options_;
};

}  // namespace strata::optimizers
