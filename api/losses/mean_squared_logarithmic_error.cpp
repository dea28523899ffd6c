#include <strata/api/losses/mean_squared_logarithmic_error.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

#include <cmath>
#include <limits>

namespace strata::losses {

Value mean_squared_logarithmic_error(Value y_true, Value y_pred) {
  constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
  constexpr float kMax = std::numeric_limits<float>::max();
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  Value first_log = ops::log(ops::clip(p, kEpsilon, kMax) + 1.0f);
  Value second_log = ops::log(ops::clip(t, kEpsilon, kMax) + 1.0f);
  return ops::mean(ops::square(first_log - second_log), {-1});
}

Value MeanSquaredLogarithmicError::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return mean_squared_logarithmic_error(t, p);
}

}  // namespace strata::losses
