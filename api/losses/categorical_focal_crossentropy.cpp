#include <strata/api/losses/categorical_focal_crossentropy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

namespace {
constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()
}

Value categorical_focal_crossentropy(Value y_true, Value y_pred, double alpha, double gamma, bool from_logits,
                                     double label_smoothing, int axis) {
  Value t = ops::cast(y_true, DType::float32);
  if (t.shape() != y_pred.shape())
    throw ShapeError("categorical_focal_crossentropy: y_true " + shape_str(t.shape()) + " and y_pred " +
                     shape_str(y_pred.shape()) + " must have the same shape");
  if (t.ndim() < 1) throw ShapeError("categorical_focal_crossentropy: y_true and y_pred must have rank >= 1");
  if (label_smoothing != 0.0)
    t = t * static_cast<float>(1.0 - label_smoothing) +
        static_cast<float>(label_smoothing / static_cast<double>(t.dim(-1)));
  Value p = from_logits ? ops::softmax(y_pred, axis) : y_pred;
  Value output = ops::clip(p / ops::sum(p, {axis}, true), kEpsilon, 1.0f - kEpsilon);
  Value cce = -t * ops::log(output);
  Value weight = ops::eltwise(1.0f - output, EltwiseKind::pow, static_cast<float>(alpha), static_cast<float>(gamma));
  return ops::sum(weight * cce, {axis});
}

CategoricalFocalCrossentropy::CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions options)
    : Loss(options.reduction), options_(std::move(options)) {
  if (options_.label_smoothing < 0.0 || options_.label_smoothing > 1.0)
    throw ValueError("CategoricalFocalCrossentropy: label_smoothing must be in [0, 1], got " +
                     std::to_string(options_.label_smoothing));
}

Value CategoricalFocalCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return categorical_focal_crossentropy(t, p, options_.alpha, options_.gamma, options_.from_logits,
                                        options_.label_smoothing, options_.axis);
}

nlohmann::json CategoricalFocalCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  c["alpha"] = options_.alpha;
  c["gamma"] = options_.gamma;
  return c;
}

}  // namespace strata::losses
