#include <strata/api/optimizers/schedules/cosine_decay_restarts.hpp>

#include <cmath>
#include <numbers>

namespace strata::optimizers::schedules {

CosineDecayRestarts::CosineDecayRestarts(double initial_learning_rate, double first_decay_steps,
                                         CosineDecayRestartsOptions options)
    : initial_learning_rate_(initial_learning_rate), first_decay_steps_(first_decay_steps), options_(std::move(options)) {
  check_positive(class_name(), "first_decay_steps", first_decay_steps_);
}

float CosineDecayRestarts::operator()(std::int64_t step) const {
  const float alpha = static_cast<float>(options_.alpha);
  const float t_mul = static_cast<float>(options_.t_mul), m_mul = static_cast<float>(options_.m_mul);
  float completed_fraction = static_cast<float>(step) / static_cast<float>(first_decay_steps_);
  float i_restart;
  if (t_mul == 1.0f) {
    i_restart = std::floor(completed_fraction);
    completed_fraction -= i_restart;
  } else {
    // periods grow geometrically: the restart index from the sum of the geometric series
    i_restart = std::floor(std::log(1.0f - completed_fraction * (1.0f - t_mul)) / std::log(t_mul));
    const float sum_r = (1.0f - std::pow(t_mul, i_restart)) / (1.0f - t_mul);
    completed_fraction = (completed_fraction - sum_r) / std::pow(t_mul, i_restart);
  }
  const float m_fac = std::pow(m_mul, i_restart);
  const float cosine_decayed =
      0.5f * m_fac * (1.0f + std::cos(std::numbers::pi_v<float> * completed_fraction));
  const float decayed = (1.0f - alpha) * cosine_decayed + alpha;
  return static_cast<float>(initial_learning_rate_) * decayed;
}

nlohmann::json CosineDecayRestarts::get_config() const {
  return {{"initial_learning_rate", initial_learning_rate_},
          {"first_decay_steps", step_json(first_decay_steps_)},
          {"t_mul", options_.t_mul},
          {"m_mul", options_.m_mul},
          {"alpha", options_.alpha},
          {"name", options_.name}};
}

}  // namespace strata::optimizers::schedules
