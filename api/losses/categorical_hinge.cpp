#include <strata/api/losses/categorical_hinge.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value categorical_hinge(Value y_true, Value y_pred) {
  Value t = ops::cast(y_true, DType::float32);
  Value pos = ops::sum(t * y_pred, {-1});
  Value neg = ops::max((1.0f - t) * y_pred, {-1});
  return ops::relu(neg - pos + 1.0f);
}

Value CategoricalHinge::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return categorical_hinge(t, p);
}

}  // namespace strata::losses
