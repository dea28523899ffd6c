#include <strata/api/losses/squared_hinge.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value squared_hinge(Value y_true, Value y_pred) {
  Value t = convert_binary_labels_to_hinge(ops::cast(y_true, DType::float32));
  return ops::mean(ops::square(ops::relu(1.0f - t * y_pred)), {-1});
}

Value SquaredHinge::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return squared_hinge(t, p);
}

}  // namespace strata::losses
