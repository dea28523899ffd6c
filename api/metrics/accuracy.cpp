#include <strata/api/metrics/accuracy.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

namespace {
Value drop_last_axis(Value v) {
  Shape s = v.shape();
  s.pop_back();
  return ops::reshape(v, s);
}
}  // namespace

Value binary_accuracy(Value y_true, Value y_pred, double threshold) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  Value predicted = ops::greater(p, p.graph().scalar(static_cast<float>(threshold)));
  return ops::mean(ops::equal(t, predicted), {-1});
}

Value categorical_accuracy(Value y_true, Value y_pred) {
  Value t = ops::argmax(ops::cast(y_true, DType::float32), -1);
  Shape original = t.shape();
  bool reshape_matches = t.ndim() == y_pred.ndim();
  if (reshape_matches) t = drop_last_axis(t);
  Value matches = ops::equal(ops::cast(t, DType::float32), ops::cast(ops::argmax(y_pred, -1), DType::float32));
  return reshape_matches ? ops::reshape(matches, original) : matches;
}

Value sparse_categorical_accuracy(Value y_true, Value y_pred) {
  Value t = ops::cast(y_true, DType::float32);
  Shape original = t.shape();
  bool reshape_matches = t.ndim() == y_pred.ndim() && t.ndim() > 0 && t.dim(-1) == 1;
  if (reshape_matches) t = drop_last_axis(t);
  Value matches = ops::equal(t, ops::cast(ops::argmax(y_pred, -1), DType::float32));
  return reshape_matches ? ops::reshape(matches, original) : matches;
}

nlohmann::json BinaryAccuracy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["threshold"] = threshold_;
  return c;
}

std::shared_ptr<Metric> BinaryAccuracy::from_config(const ConfigReader& c) {
  return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = c.get_string("name", "binary_accuracy"),
                                                                .threshold = c.get_double("threshold", 0.5)});
}
std::shared_ptr<Metric> CategoricalAccuracy::from_config(const ConfigReader& c) {
  return std::make_shared<CategoricalAccuracy>(
      CategoricalAccuracyOptions{.name = c.get_string("name", "categorical_accuracy")});
}
std::shared_ptr<Metric> SparseCategoricalAccuracy::from_config(const ConfigReader& c) {
  return std::make_shared<SparseCategoricalAccuracy>(
      SparseCategoricalAccuracyOptions{.name = c.get_string("name", "sparse_categorical_accuracy")});
}

}  // namespace strata::metrics
