#include <strata/api/optimizers/schedules/cosine_decay.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::optimizers::schedules {

CosineDecay::CosineDecay(double initial_learning_rate, double decay_steps, CosineDecayOptions options)
    : initial_learning_rate_(initial_learning_rate), decay_steps_(decay_steps), options_(std::move(options)) {
  check_positive(class_name(), "decay_steps", decay_steps_);
}

float CosineDecay::decay(float step, float decay_steps, float decay_from) const {
  const float completed_fraction = step / decay_steps;
  const float cosine_decayed = 0.5f * (1.0f + std::cos(std::numbers::pi_v<float> * completed_fraction));
  const float decayed = static_cast<float>(1.0 - options_.alpha) * cosine_decayed + static_cast<float>(options_.alpha);
  return decay_from * decayed;
}

float CosineDecay::operator()(std::int64_t step) const {
  const float initial = static_cast<float>(initial_learning_rate_);
  const float decay_steps = static_cast<float>(decay_steps_);
  float s = static_cast<float>(step);
  if (!options_.warmup_target) return decay(std::min(s, decay_steps), decay_steps, initial);
  const float target = static_cast<float>(*options_.warmup_target);
  const float warmup_steps = static_cast<float>(options_.warmup_steps);
  s = std::min(s, decay_steps + warmup_steps);
  if (s < warmup_steps) return (target - initial) * (s / warmup_steps) + initial;
  return decay(s - warmup_steps, decay_steps, target);
}

nlohmann::json CosineDecay::get_config() const {
  return {{"initial_learning_rate", initial_learning_rate_},
          {"decay_steps", step_json(decay_steps_)},
          {"alpha", options_.alpha},
          {"name", options_.name},
          {"warmup_target", options_.warmup_target ? nlohmann::json(*options_.warmup_target) : nlohmann::json()},
          {"warmup_steps", step_json(options_.warmup_steps)}};
}

}  // namespace strata::optimizers::schedules
