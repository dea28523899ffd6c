#pragma once
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct ExponentialDecayOptions {
  bool staircase = false;  // decay at whole multiples of decay_steps only
  std::string name = "ExponentialDecay";
};

/// keras.optimizers.schedules.ExponentialDecay: initial_learning_rate * decay_rate ^ (step / decay_steps).
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   ExponentialDecayOptions options = {});
  std::string class_name() const override { return "ExponentialDecay"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  ExponentialDecayOptions options_;
};

}  // namespace strata::optimizers::schedules
