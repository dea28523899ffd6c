#pragma once
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct CosineDecayRestartsOptions {
  double t_mul = 2.0;  // each period is t_mul times longer than the one before
  double m_mul = 1.0;  // each restart starts from m_mul times the previous initial rate
  double alpha = 0.0;  // the floor, as a fraction of initial_learning_rate
  std::string name = "SGDRDecay";
};

/// keras.optimizers.schedules.CosineDecayRestarts (SGDR): cosine decay over first_decay_steps, then restarts.
class CosineDecayRestarts : public LearningRateSchedule {
 public:
  CosineDecayRestarts(double initial_learning_rate, double first_decay_steps, CosineDecayRestartsOptions options = {});
  std::string class_name() const override { return "CosineDecayRestarts"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_learning_rate_, first_decay_steps_;
  CosineDecayRestartsOptions options_;
};

}  // namespace strata::optimizers::schedules
