#include <strata/api/losses/tversky.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

Value tversky(Value y_true, Value y_pred, double alpha, double beta, std::vector<int> axis) {
  Value t = ops::cast(y_true, DType::float32);
  Value intersection = ops::sum(t * y_pred, axis);
  Value fp = ops::sum((1.0f - y_pred) * t, axis);
  Value fn = ops::sum(y_pred * (1.0f - t), axis);
  return 1.0f - intersection / (intersection + fp * static_cast<float>(alpha) + fn * static_cast<float>(beta) + kEpsilon);
}

Value Tversky::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return tversky(t, p, options_.alpha, options_.beta, options_.axis);
}

nlohmann::json Tversky::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["alpha"] = options_.alpha;
  c["beta"] = options_.beta;
  c["axis"] = axis_config(options_.axis);
  return c;
}

}  // namespace strata::losses
