#include <strata/api/losses/cosine_similarity.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

#include <cmath>
#include <limits>

namespace strata::losses {

namespace {
/// Keras's ops.normalize(x, axis): x * min(rsqrt(sum(x^2)), 1 / 1e-7), as x / sqrt(max(sum(x^2), 1e-14)).
Value l2_normalize(Value x, int axis) {
  Value square_sum = ops::sum(ops::square(x), {axis}, true);
  return x / ops::sqrt(ops::clip(square_sum, 1e-14f, std::numeric_limits<float>::max()));
}
}  // namespace

Value cosine_similarity(Value y_true, Value y_pred, int axis) {
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  return -ops::sum(l2_normalize(t, axis) * l2_normalize(p, axis), {axis});
}

Value CosineSimilarity::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return cosine_similarity(t, p, options_.axis);
}

}  // namespace strata::losses
