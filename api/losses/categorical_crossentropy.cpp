#include <strata/api/losses/categorical_crossentropy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

Value categorical_crossentropy_from_target(Value target, Value y_pred, bool from_logits, int axis) {
  Value log_prob;
  if (from_logits) {
    log_prob = ops::log_softmax(y_pred, axis);
  } else {
    Value p = y_pred / ops::sum(y_pred, {axis}, true);
    log_prob = ops::log(ops::clip(p, kEpsilon, 1.0f - kEpsilon));
  }
  return -ops::sum(target * log_prob, {axis});
}

Value categorical_crossentropy(Value y_true, Value y_pred, bool from_logits, double label_smoothing, int axis) {
  Value t = ops::cast(y_true, DType::float32);
  if (t.shape() != y_pred.shape())
    throw ShapeError("categorical_crossentropy: y_true " + shape_str(t.shape()) + " and y_pred " +
                     shape_str(y_pred.shape()) + " must have the same shape");
  if (t.ndim() < 1) throw ShapeError("categorical_crossentropy: y_true and y_pred must have rank >= 1");
  if (label_smoothing != 0.0)
    t = t * static_cast<float>(1.0 - label_smoothing) +
        static_cast<float>(label_smoothing / static_cast<double>(t.dim(-1)));
  return categorical_crossentropy_from_target(t, y_pred, from_logits, axis);
}

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions options)
    : Loss(options.reduction), options_(std::move(options)) {
  if (options_.label_smoothing < 0.0 || options_.label_smoothing > 1.0)
    throw ValueError("CategoricalCrossentropy: label_smoothing must be in [0, 1], got " +
                     std::to_string(options_.label_smoothing));
}

Value CategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return categorical_crossentropy(t, p, options_.from_logits, options_.label_smoothing, options_.axis);
}

nlohmann::json CategoricalCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

}  // namespace strata::losses
