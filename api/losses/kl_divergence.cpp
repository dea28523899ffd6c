#include <strata/api/losses/kl_divergence.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value kl_divergence(Value y_true, Value y_pred) {
  constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
  Value t = ops::clip(ops::cast(y_true, DType::float32), kEpsilon, 1.0f);
  Value p = ops::clip(y_pred, kEpsilon, 1.0f);
  return ops::sum(t * ops::log(t / p), {-1});
}

Value KLDivergence::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return kl_divergence(t, p);
}

}  // namespace strata::losses
