#include <strata/api/losses/sparse_categorical_crossentropy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value sparse_categorical_crossentropy(Value y_true, Value y_pred, bool from_logits) {
  Value labels = y_true;
  if (labels.ndim() == y_pred.ndim() && labels.ndim() > 0 && labels.dim(-1) == 1) {
    Shape s = labels.shape();
    s.pop_back();
    labels = ops::reshape(labels, s);
  }
  if (y_pred.ndim() < 1) throw ShapeError("sparse_categorical_crossentropy: y_pred must have rank >= 1");
  Shape expected = y_pred.shape();
  expected.pop_back();
  if (labels.shape() != expected)
    throw ShapeError("sparse_categorical_crossentropy: y_true " + shape_str(y_true.shape()) + " and y_pred " +
                     shape_str(y_pred.shape()) + " must have the same shape up until the last dimension");
  Value target = ops::one_hot(ops::cast(labels, DType::int32), y_pred.dim(-1));
  return categorical_crossentropy_from_target(target, y_pred, from_logits, -1);
}

namespace {
/// 1 where the label is not `ignore_class`, in the per-sample values' shape (y_pred's without the class axis).
Value valid_labels(Value y_true, Value y_pred, int ignore_class) {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  Value labels = ops::cast(t, DType::float32);
  Shape values_shape = p.shape();
  values_shape.pop_back();
  if (labels.shape() != values_shape && num_elements(labels.shape()) == num_elements(values_shape))
    labels = ops::reshape(labels, values_shape);  // (batch, ..., 1) labels
  return 1.0f - ops::equal(labels, labels.graph().scalar(static_cast<float>(ignore_class)));
}
}  // namespace

Value SparseCategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  if (!options_.ignore_class) return sparse_categorical_crossentropy(t, p, options_.from_logits);
  // Keras: ignored labels become class 0 and their values 0 (the predictions stay, so no 0/0 reaches the product)
  Value valid = valid_labels(y_true, y_pred, *options_.ignore_class);
  Value labels = ops::cast(t, DType::float32);
  labels = labels.shape() == valid.shape() ? labels * valid : labels * ops::reshape(valid, labels.shape());
  return sparse_categorical_crossentropy(labels, p, options_.from_logits) * valid;
}

Value SparseCategoricalCrossentropy::mask(Value y_true, Value y_pred) const {
  return options_.ignore_class ? valid_labels(y_true, y_pred, *options_.ignore_class) : Value();
}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = options_.ignore_class ? nlohmann::json(*options_.ignore_class) : nlohmann::json(nullptr);
  return c;
}

}  // namespace strata::losses
