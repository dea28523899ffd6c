#include <strata/api/losses/binary_focal_crossentropy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

Value binary_focal_crossentropy(Value y_true, Value y_pred, bool apply_class_balancing, double alpha, double gamma,
                                bool from_logits, double label_smoothing, int axis) {
  Value t = ops::cast(y_true, DType::float32);
  if (t.shape() != y_pred.shape())
    throw ShapeError("binary_focal_crossentropy: y_true " + shape_str(t.shape()) + " and y_pred " +
                     shape_str(y_pred.shape()) + " must have the same shape");
  if (label_smoothing != 0.0)
    t = t * static_cast<float>(1.0 - label_smoothing) + static_cast<float>(0.5 * label_smoothing);
  Value p = from_logits ? ops::sigmoid(y_pred) : y_pred;
  // Keras clips only inside the crossentropy; p_t uses the unclipped probability
  Value clipped = ops::clip(p, kEpsilon, 1.0f - kEpsilon);
  Value bce = -(t * ops::log(clipped) + (1.0f - t) * ops::log(1.0f - clipped));
  Value p_t = t * p + (1.0f - t) * (1.0f - p);
  Value focal = gamma == 0.0 ? bce : ops::eltwise(1.0f - p_t, EltwiseKind::pow, 1.0f, static_cast<float>(gamma)) * bce;
  if (apply_class_balancing)
    focal = (t * static_cast<float>(alpha) + (1.0f - t) * static_cast<float>(1.0 - alpha)) * focal;
  return ops::mean(focal, {axis});
}

BinaryFocalCrossentropy::BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions options)
    : Loss(options.reduction), options_(std::move(options)) {
  if (options_.label_smoothing < 0.0 || options_.label_smoothing > 1.0)
    throw ValueError("BinaryFocalCrossentropy: label_smoothing must be in [0, 1], got " +
                     std::to_string(options_.label_smoothing));
}

Value BinaryFocalCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return binary_focal_crossentropy(t, p, options_.apply_class_balancing, options_.alpha, options_.gamma,
                                   options_.from_logits, options_.label_smoothing, options_.axis);
}

nlohmann::json BinaryFocalCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  c["apply_class_balancing"] = options_.apply_class_balancing;
  c["alpha"] = options_.alpha;
  c["gamma"] = options_.gamma;
  return c;
}

}  // namespace strata::losses
