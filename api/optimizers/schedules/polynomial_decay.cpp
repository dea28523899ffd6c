#include <strata/api/optimizers/schedules/polynomial_decay.hpp>

#include <algorithm>
#include <cmath>

namespace strata::optimizers::schedules {

PolynomialDecay::PolynomialDecay(double initial_learning_rate, double decay_steps, PolynomialDecayOptions options)
    : initial_learning_rate_(initial_learning_rate), decay_steps_(decay_steps), options_(std::move(options)) {
  check_positive(class_name(), "decay_steps", decay_steps_);
}

float PolynomialDecay::operator()(std::int64_t step) const {
  const float initial = static_cast<float>(initial_learning_rate_);
  const float end = static_cast<float>(options_.end_learning_rate);
  float s = static_cast<float>(step);
  float decay_steps = static_cast<float>(decay_steps_);
  if (options_.cycle) {
    // the first multiple of decay_steps above the step (1 at step 0)
    const float multiplier = s == 0.0f ? 1.0f : std::ceil(s / static_cast<float>(decay_steps_));
    decay_steps = decay_steps * multiplier;
  } else {
    s = std::min(s, decay_steps);
  }
  const float p = s / decay_steps;
  return (initial - end) * std::pow(1.0f - p, static_cast<float>(options_.power)) + end;
}

nlohmann::json PolynomialDecay::get_config() const {
  return {{"initial_learning_rate", initial_learning_rate_},
          {"decay_steps", step_json(decay_steps_)},
          {"end_learning_rate", options_.end_learning_rate},
          {"power", options_.power},
          {"cycle", options_.cycle},
          {"name", options_.name}};
}

}  // namespace strata::optimizers::schedules
