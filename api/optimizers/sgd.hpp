#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;  // in [0, 1]
  bool nesterov = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "sgd";
};

/// keras.optimizers.SGD, with optional (Nesterov) momentum; slot: momentum (only if momentum > 0).
class SGD : public Optimizer {
 public:
  explicit SGD(SGDOptions options = {});
  std::string class_name() const override { return "SGD"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override;
  OptimizerUpdateAttrs update_attrs() const override;

 private:
  SGDOptions options_;
};

}  // namespace strata::optimizers
