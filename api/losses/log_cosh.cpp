#include <strata/api/losses/log_cosh.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

#include <cmath>
#include <limits>

namespace strata::losses {

Value log_cosh(Value y_true, Value y_pred) {
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  Value x = p - t;
  // log(cosh(x)) = x + softplus(-2x) - log(2), stable for large |x|
  Value per_element = x + ops::eltwise(x * -2.0f, EltwiseKind::softplus) - static_cast<float>(std::log(2.0));
  return ops::mean(per_element, {-1});
}

Value LogCosh::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return log_cosh(t, p);
}

}  // namespace strata::losses
