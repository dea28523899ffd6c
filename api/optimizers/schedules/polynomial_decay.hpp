#pragma once
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct PolynomialDecayOptions {
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;  // restart the decay after decay_steps (over a multiple of decay_steps)
  std::string name = "PolynomialDecay";
};

/// keras.optimizers.schedules.PolynomialDecay:
/// (initial - end) * (1 - min(step, decay_steps) / decay_steps) ^ power + end.
class PolynomialDecay : public LearningRateSchedule {
 public:
  PolynomialDecay(double initial_learning_rate, double decay_steps, PolynomialDecayOptions options = {});
  std::string class_name() const override { return "PolynomialDecay"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_learning_rate_, decay_steps_;
  PolynomialDecayOptions options_;
};

}  // namespace strata::optimizers::schedules
