#include <strata/api/optimizers/schedules/exponential_decay.hpp>

#include <cmath>

namespace strata::optimizers::schedules {

ExponentialDecay::ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                                   ExponentialDecayOptions options)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      options_(std::move(options)) {
  check_positive(class_name(), "decay_steps", decay_steps_);
}

float ExponentialDecay::operator()(std::int64_t step) const {
  float p = static_cast<float>(step) / static_cast<float>(decay_steps_);
  if (options_.staircase) p = std::floor(p);
  return static_cast<float>(initial_learning_rate_) * std::pow(static_cast<float>(decay_rate_), p);
}

nlohmann::json ExponentialDecay::get_config() const {
  return {{"initial_learning_rate", initial_learning_rate_},
          {"decay_steps", step_json(decay_steps_)},
          {"decay_rate", decay_rate_},
          {"staircase", options_.staircase},
          {"name", options_.name}};
}

}  // namespace strata::optimizers::schedules
