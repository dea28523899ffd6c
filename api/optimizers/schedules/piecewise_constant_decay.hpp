#pragma once
#include <vector>

#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>

namespace strata::optimizers::schedules {

struct PiecewiseConstantDecayOptions {
  std::string name = "PiecewiseConstant";
};

/// keras.optimizers.schedules.PiecewiseConstantDecay: values[0] while step <= boundaries[0], values[i] while
/// boundaries[i-1] < step <= boundaries[i], values.back() after the last boundary.
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values,
                         PiecewiseConstantDecayOptions options = {});
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  float operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  std::vector<double> boundaries_, values_;
  std::vector<std::int64_t> steps_;  // boundaries cast to the step's integer type, as Keras does
  PiecewiseConstantDecayOptions options_;
};

}  // namespace strata::optimizers::schedules
