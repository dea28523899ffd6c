#pragma once
#include <optional>

#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct CosineDecayOptions {
  double alpha = 0.0;  // the floor, as a fraction of the rate decayed from
  std::string name = "CosineDecay";
  std::optional<double> warmup_target;  // if set: a linear warmup to this rate first, then the decay from it
  double warmup_steps = 0;
};

/// keras.optimizers.schedules.CosineDecay (SGDR without restarts), with an optional linear warmup from
/// initial_learning_rate to warmup_target over warmup_steps.
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, CosineDecayOptions options = {});
  std::string class_name() const override { return "CosineDecay"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  float decay(float step, float decay_steps, float decay_from) const;
  double initial_learning_rate_, decay_steps_;
  CosineDecayOptions options_;
};

}  // namespace strata::optimizers::schedules
