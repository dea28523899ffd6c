#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct FtrlOptions {
  LearningRate learning_rate = 0.001;
  double learning_rate_power = -0.5;  // <= 0
  double initial_accumulator_value = 0.1;  // >= 0
  double l1_regularization_strength = 0.0;  // >= 0
  double l2_regularization_strength = 0.0;  // >= 0
  double l2_shrinkage_regularization_strength = 0.0;  // >= 0
  double beta = 0.0;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "ftrl";
};

/// keras.optimizers.Ftrl (Follow The Regularized Leader); slots: accumulator (starting at
/// initial_accumulator_value) and linear per variable.
class Ftrl : public Optimizer {
 public:
  explicit Ftrl(FtrlOptions options = {});
  std::string class_name() const override { return "Ftrl"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"accumulator", "linear"}; }
  double slot_initial_value(const std::string& slot) const override {
    return slot == "accumulator" ? options_.initial_accumulator_value : 0.0;
  }
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  FtrlOptions options_;
};

}  // namespace strata::optimizers
