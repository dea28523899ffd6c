#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct LionOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;  // in (0, 1]
  double beta_2 = 0.99;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "lion";
};

/// keras.optimizers.Lion (sign of an interpolated momentum); slot: momentum per variable.
class Lion : public Optimizer {
 public:
  explicit Lion(LionOptions options = {});
  std::string class_name() const override { return "Lion"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"momentum"}; }
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  LionOptions options_;
};

}  // namespace strata::optimizers
