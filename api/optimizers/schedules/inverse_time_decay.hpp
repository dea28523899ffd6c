#pragma once
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct InverseTimeDecayOptions {
  bool staircase = false;  // decay at whole multiples of decay_steps only
  std::string name = "InverseTimeDecay";
};

/// keras.optimizers.schedules.InverseTimeDecay: initial_learning_rate / (1 + decay_rate * step / decay_steps).
class InverseTimeDecay : public LearningRateSchedule {
 public:
  InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   InverseTimeDecayOptions options = {});
  std::string class_name() const override { return "InverseTimeDecay"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  InverseTimeDecayOptions options_;
};

}  // namespace strata::optimizers::schedules
