#pragma once
#include <strata/api/optimizers/adam.hpp>

namespace strata::optimizers {

struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  std::optional<double> weight_decay = 0.004;  // required, as in Keras
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "adam_w";  // Keras 3's default name (snake_case of the class name)
};

/// keras.optimizers.AdamW: Adam with decoupled weight decay (var -= var * weight_decay * lr before each step);
/// slots as Adam's.
class AdamW : public Adam {
 public:
  explicit AdamW(AdamWOptions options = {});
  std::string class_name() const override { return "AdamW"; }
};

}  // namespace strata::optimizers
