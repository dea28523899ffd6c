#include <strata/api/losses/hinge.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value convert_binary_labels_to_hinge(Value y_true) {
  Graph& g = y_true.graph();
  // 1 where a label is 0 or 1 (the two tests are exclusive), then 1 when some label is neither
  Value is_binary_label = ops::equal(y_true, g.scalar(0.0f)) + ops::equal(y_true, g.scalar(1.0f));
  Value any_non_binary = ops::max(1.0f - is_binary_label);
  // Keras's cond(all binary, 2t - 1, t) as t + all_binary * (t - 1)
  return y_true + (1.0f - any_non_binary) * (y_true - 1.0f);
}

Value hinge(Value y_true, Value y_pred) {
  Value t = convert_binary_labels_to_hinge(ops::cast(y_true, DType::float32));
  return ops::mean(ops::relu(1.0f - t * y_pred), {-1});
}

Value Hinge::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return hinge(t, p);
}

}  // namespace strata::losses
