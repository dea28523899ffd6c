#include <strata/api/metrics/loss_metrics.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::metrics {

Value MeanSquaredError::call(Value y_true, Value y_pred) const { return losses::mean_squared_error(y_true, y_pred); }

Value MeanAbsoluteError::call(Value y_true, Value y_pred) const {
  return losses::mean_absolute_error(y_true, y_pred);
}

Value BinaryCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::binary_crossentropy(y_true, y_pred, options_.from_logits, options_.label_smoothing);
}

nlohmann::json BinaryCrossentropy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  return c;
}

Value CategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::categorical_crossentropy(y_true, y_pred, options_.from_logits, options_.label_smoothing,
                                          options_.axis);
}

nlohmann::json CategoricalCrossentropy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

Value SparseCategoricalCrossentropy::call(Value y_true, Value y_pred) const {
  return losses::sparse_categorical_crossentropy(y_true, y_pred, options_.from_logits);
}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = nullptr;
  c["axis"] = -1;
  return c;
}

std::shared_ptr<Metric> MeanSquaredError::from_config(const ConfigReader& c) {
  return std::make_shared<MeanSquaredError>(MeanSquaredErrorOptions{.name = c.get_string("name", "mean_squared_error")});
}
std::shared_ptr<Metric> MeanAbsoluteError::from_config(const ConfigReader& c) {
  return std::make_shared<MeanAbsoluteError>(
      MeanAbsoluteErrorOptions{.name = c.get_string("name", "mean_absolute_error")});
}
std::shared_ptr<Metric> BinaryCrossentropy::from_config(const ConfigReader& c) {
  return std::make_shared<BinaryCrossentropy>(
      BinaryCrossentropyOptions{.name = c.get_string("name", "binary_crossentropy"),
                                .from_logits = c.get_bool("from_logits", false),
                                .label_smoothing = c.get_double("label_smoothing", 0.0)});
}
std::shared_ptr<Metric> CategoricalCrossentropy::from_config(const ConfigReader& c) {
  return std::make_shared<CategoricalCrossentropy>(
      CategoricalCrossentropyOptions{.name = c.get_string("name", "categorical_crossentropy"),
                                     .from_logits = c.get_bool("from_logits", false),
                                     .label_smoothing = c.get_double("label_smoothing", 0.0),
                                     .axis = static_cast<int>(c.get_int("axis", -1))});
}
std::shared_ptr<Metric> SparseCategoricalCrossentropy::from_config(const ConfigReader& c) {
  return std::make_shared<SparseCategoricalCrossentropy>(
      SparseCategoricalCrossentropyOptions{.name = c.get_string("name", "sparse_categorical_crossentropy"),
                                           .from_logits = c.get_bool("from_logits", false)});
}

}  // namespace strata::metrics
