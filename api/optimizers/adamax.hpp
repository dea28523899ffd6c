#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct AdamaxOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
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
  std::string name = "adamax";
};

/// keras.optimizers.Adamax (Adam with the infinity norm); slots: momentum and norm per variable.
class Adamax : public Optimizer {
 public:
  explicit Adamax(AdamaxOptions options = {});
  std::string class_name() const override { return "Adamax"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"momentum", "norm"}; }
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  AdamaxOptions options_;
};

}  // namespace strata::optimizers
