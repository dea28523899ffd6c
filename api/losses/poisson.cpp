#include <strata/api/losses/poisson.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value poisson(Value y_true, Value y_pred) {
  constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
  Value t = ops::cast(y_true, DType::float32);
  return ops::mean(y_pred - t * ops::log(y_pred + kEpsilon), {-1});
}

Value Poisson::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return poisson(t, p);
}

}  // namespace strata::losses
