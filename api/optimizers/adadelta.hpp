#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
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
  std::string name = "adadelta";
};

/// keras.optimizers.Adadelta; slots: accumulated_grad and accumulated_delta_var per variable.
class Adadelta : public Optimizer {
 public:
  explicit Adadelta(AdadeltaOptions options = {});
  std::string class_name() const override { return "Adadelta"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"accumulated_grad", "accumulated_delta_var"}; }
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  AdadeltaOptions options_;
};

}  // namespace strata::optimizers
