#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "adam";
};

/// keras.optimizers.Adam; slots: momentum and velocity per variable, then velocity_hat (amsgrad).
class Adam : public Optimizer {
 public:
  explicit Adam(AdamOptions options = {});
  std::string class_name() const override { return "Adam"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override;
  std::vector<std::vector<std::string>> slot_groups() const override;
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  AdamOptions options_;
};

}  // namespace strata::optimizers
