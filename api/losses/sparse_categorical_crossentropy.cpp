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

Value SparseCategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return sparse_categorical_crossentropy(t, p, options_.from_logits);
}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = nullptr;
  return c;
}

}  // namespace strata::losses
