#include <strata/api/losses/binary_crossentropy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

Value binary_crossentropy(Value y_true, Value y_pred, bool from_logits, double label_smoothing, int axis) {
  Value t = ops::cast(y_true, DType::float32);
  if (t.shape() != y_pred.shape())
    throw ShapeError("binary_crossentropy: y_true " + shape_str(t.shape()) + " and y_pred " +
                     shape_str(y_pred.shape()) + " must have the same shape");
  if (label_smoothing != 0.0)
    t = t * static_cast<float>(1.0 - label_smoothing) + static_cast<float>(0.5 * label_smoothing);
  Value per_element;
  if (from_logits) {
    // -t*log_sigmoid(x) - (1-t)*log_sigmoid(-x), with -log_sigmoid(x) = softplus(-x)
    Value softplus_neg = ops::eltwise(-y_pred, EltwiseKind::softplus);
    Value softplus_pos = ops::eltwise(y_pred, EltwiseKind::softplus);
    per_element = t * softplus_neg + (1.0f - t) * softplus_pos;
  } else {
    Value p = ops::clip(y_pred, kEpsilon, 1.0f - kEpsilon);
    per_element = -(t * ops::log(p) + (1.0f - t) * ops::log(1.0f - p));
  }
  return ops::mean(per_element, {axis});
}

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options)
    : Loss(options.reduction), options_(std::move(options)) {
  if (options_.label_smoothing < 0.0 || options_.label_smoothing > 1.0)
    throw ValueError("BinaryCrossentropy: label_smoothing must be in [0, 1], got " +
                     std::to_string(options_.label_smoothing));
}

Value BinaryCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return binary_crossentropy(t, p, options_.from_logits, options_.label_smoothing, options_.axis);
}

nlohmann::json BinaryCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

}  // namespace strata::losses
