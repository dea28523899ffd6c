#include <strata/api/losses/dice.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

nlohmann::json axis_config(const std::vector<int>& axis) {
  return axis.empty() ? nlohmann::json(nullptr) : nlohmann::json(axis);
}

Value dice(Value y_true, Value y_pred, std::vector<int> axis) {
  Value t = ops::cast(y_true, DType::float32);
  Value intersection = ops::sum(t * y_pred, axis);
  return 1.0f - (2.0f * intersection) / (ops::sum(t, axis) + ops::sum(y_pred, axis) + kEpsilon);
}

Value Dice::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return dice(t, p, options_.axis);
}

nlohmann::json Dice::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["axis"] = axis_config(options_.axis);
  return c;
}

}  // namespace strata::losses
