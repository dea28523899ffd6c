#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace strata::optimizers::schedules {

/// Base of the learning-rate schedules (keras.optimizers.schedules.LearningRateSchedule): the learning rate
/// as a function of the optimizer's step. An optimizer given a schedule evaluates it on the host before
/// every training step, from its `iterations`, and writes the result into its learning_rate variable.
class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual std::string class_name() const = 0;
  /// The learning rate at `step` (the optimizer's iterations before the step), computed in float32 with
  /// Keras's sequence of operations.
  virtual float operator()(std::int64_t step) const = 0;
  virtual nlohmann::json get_config() const = 0;
};

/// Keras's serialize(): {"module": "keras.optimizers.schedules", "class_name", "config", "registered_name"}.
nlohmann::json serialize(const LearningRateSchedule& schedule);
/// A built-in schedule from serialize()'s output (or {"class_name", "config"}); ValueError if unknown.
std::shared_ptr<LearningRateSchedule> deserialize(const nlohmann::json& value);

/// A step count as Keras writes it in configs: an integer when it is one (decay_steps=10, not 10.0).
nlohmann::json step_json(double steps);
/// ValueError "<class>: Argument `<what>` must be > 0. Received: <what>=<value>" unless value > 0.
void check_positive(const std::string& class_name, const char* what, double value);

}  // namespace strata::optimizers::schedules
