#pragma once
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::optimizers {

struct AdafactorOptions {
  LearningRate learning_rate = 0.001;
  double beta_2_decay = -0.8;   // the second-moment decay is 1 - t ^ beta_2_decay
  double epsilon_1 = 1e-30;     // added to the squared gradient
  double epsilon_2 = 1e-3;      // the smallest relative step scale
  double clip_threshold = 1.0;  // the update's RMS is at most this
  bool relative_step = true;    // the rate is at most 1 / sqrt(t) (a constant rate only)
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int> gradient_accumulation_steps;
  std::string name = "adafactor";
};

/// keras.optimizers.Adafactor: second moments factored into row and column means for variables of rank >= 2
/// (slots r: shape[:-1], c: shape[:-2] + shape[-1:], named after the variable), a full velocity per variable, and
/// an update scaled by the variable's RMS. Rank < 2 variables get scalar stand-ins for r and c, as in Keras.
class Adafactor : public Optimizer {
 public:
  explicit Adafactor(AdafactorOptions options = {});
  std::string class_name() const override { return "Adafactor"; }
  nlohmann::json get_config() const override;

 protected:
  std::vector<std::string> slot_names() const override { return {"r", "c", "velocity"}; }
  std::vector<SlotSpec> slot_specs(const Variable& variable) const override;
  OptimizerUpdateAttrs update_attrs() const override;
  void adjust_attrs(OptimizerUpdateAttrs& attrs, const Variable& variable) const override;

 private:
  AdafactorOptions options_;
};

}  // namespace strata::optimizers
