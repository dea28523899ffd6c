#include <strata/api/metrics/loss_metrics.hpp>

#include <strata/api/losses/functions.hpp>

namespace strata::metrics {

Value MeanSquaredError::call(Value y_true, Value y_pred) const { return losses::mean_squared_error(y_true, y_pred); }

Value MeanAbsoluteError::call(Value y_true, Value y_pred) const {
  return losses::mean_absolute_error(y_true, y_pred);
}

Value BinaryCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::binary_crossentropy(y_true, y_pred, options_.from_logits, options_.label_smoothing);
}

nlohmann::json BinaryCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  return c;
}

Value CategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::categorical_crossentropy(y_true, y_pred, options_.from_logits, options_.label_smoothing,
                                          options_.axis);
}

nlohmann::json CategoricalCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

Value SparseCategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::sparse_categorical_crossentropy(y_true, y_pred, options_.from_logits);
}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = nullptr;
  c["axis"] = -1;
  return c;
}

}  // namespace strata::metrics
