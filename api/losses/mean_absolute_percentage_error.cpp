#include <strata/api/losses/mean_absolute_percentage_error.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

#include <cmath>
#include <limits>

namespace strata::losses {

Value mean_absolute_percentage_error(Value y_true, Value y_pred) {
  constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  Value diff = ops::abs((t - p) / ops::clip(ops::abs(t), kEpsilon, std::numeric_limits<float>::max()));
  return ops::mean(diff, {-1}) * 100.0f;
}

Value MeanAbsolutePercentageError::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return mean_absolute_percentage_error(t, p);
}

}  // namespace strata::losses
