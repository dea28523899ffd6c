#include <strata/api/losses/mean_squared_error.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value mean_squared_error(Value y_true, Value y_pred) {
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  return ops::mean(ops::square(t - p), {-1});
}

Value MeanSquaredError::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return mean_squared_error(t, p);
}

}  // namespace strata::losses
