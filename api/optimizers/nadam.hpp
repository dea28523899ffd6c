#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct NadamOptions {
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
  std::string name = "nadam";
};

/// keras.optimizers.Nadam (Adam with Nesterov momentum); slots: momentum and velocity per variable, and one
/// scalar of its own, the running product of the momentum schedule (Keras's "variable", starting at 1).
class Nadam : public Optimizer {
 public:
  explicit Nadam(NadamOptions options = {});
  std::string class_name() const override { return "Nadam"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"momentum", "velocity"}; }
  OptimizerUpdateAttrs update_attrs() const override;
  std::vector<Variable*> own_variables() const override { return {u_product_.get()}; }
  std::vector<Value> begin_step(Graph& graph, Value step, Value gate) override;

 private:
  NadamOptions options_;
  std::unique_ptr<Variable> u_product_;
};

}  // namespace strata::optimizers
