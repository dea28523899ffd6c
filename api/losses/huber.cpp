#include <strata/api/losses/huber.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value huber(Value y_true, Value y_pred, double delta) {
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  const float d = static_cast<float>(delta);
  Value abs_error = ops::abs(p - t);
  // with c = min(|e|, delta), 0.5 c^2 + delta (|e| - c) is Keras's where(|e| <= delta, 0.5 e^2, delta |e| - 0.5 delta^2)
  Value c = ops::clip(abs_error, 0.0f, d);
  return ops::mean(ops::square(c) * 0.5f + (abs_error - c) * d, {-1});
}

Value Huber::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return huber(t, p, options_.delta);
}

}  // namespace strata::losses
