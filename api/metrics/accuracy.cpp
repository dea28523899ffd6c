#include <strata/api/metrics/accuracy.hpp>

#include <algorithm>
#include <functional>

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

// Accuracy and the top-k accuracies (issue 5)
namespace {
// Keras's in_top_k on (n, classes) scores and (n,) labels: 1 + #(scores > score at label) <= k
Value in_top_k(Value labels, Value scores, int k) {
  Value at_label = ops::sum(ops::one_hot(labels, scores.dim(-1)) * scores, {-1}, true);
  Value greater_count = ops::sum(ops::greater(scores, at_label), {-1});
  return ops::binary(greater_count, scores.graph().scalar(static_cast<float>(k)), BinaryKind::less);
}
// flattens labels of rank > 1 and scores of rank > 2 to rows, as Keras's top-k accuracies do
Value top_k_matches(Value labels, Value y_pred, const std::function<Value(Value, Value)>& match) {
  const Shape original = labels.shape();
  if (y_pred.ndim() > 2) y_pred = ops::reshape(y_pred, {-1, y_pred.dim(-1)});
  if (labels.ndim() > 1) labels = ops::reshape(labels, {-1});
  Value matches = match(labels, y_pred);
  return original.size() > 1 ? ops::reshape(matches, original) : matches;
}
}  // namespace

Value accuracy(Value y_true, Value y_pred) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32),
                                                       ops::cast(y_pred, DType::float32));
  return ops::equal(t, p);
}

Value top_k_categorical_accuracy(Value y_true, Value y_pred, int k) {
  Value labels = ops::argmax(ops::cast(y_true, DType::float32), -1);
  return top_k_matches(labels, ops::cast(y_pred, DType::float32), [k](Value l, Value p) { return in_top_k(l, p, k); });
}

Value sparse_top_k_categorical_accuracy(Value y_true, Value y_pred, int k, bool from_sorted_ids) {
  return top_k_matches(ops::cast(y_true, DType::float32), ops::cast(y_pred, DType::float32),
                       [k, from_sorted_ids](Value l, Value p) {
                         if (!from_sorted_ids) return in_top_k(l, p, k);
                         const std::int64_t n = std::min<std::int64_t>(k, p.dim(-1));
                         Value top = ops::slice(p, {0, 0}, {p.dim(0), n});
                         return ops::max(ops::equal(ops::reshape(l, {l.dim(0), 1}), top), {1});
                       });
}

nlohmann::json TopKCategoricalAccuracy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["k"] = k_;
  return c;
}

nlohmann::json SparseTopKCategoricalAccuracy::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["k"] = k_;
  if (from_sorted_ids_) c["from_sorted_ids"] = true;  // Keras writes the key only when set
  return c;
}

std::shared_ptr<Metric> Accuracy::from_config(const ConfigReader& c) {
  return std::make_shared<Accuracy>(AccuracyOptions{.name = c.get_string("name", "accuracy")});
}
std::shared_ptr<Metric> TopKCategoricalAccuracy::from_config(const ConfigReader& c) {
  return std::make_shared<TopKCategoricalAccuracy>(TopKCategoricalAccuracyOptions{
      .k = static_cast<int>(c.get_int("k", 5)), .name = c.get_string("name", "top_k_categorical_accuracy")});
}
std::shared_ptr<Metric> SparseTopKCategoricalAccuracy::from_config(const ConfigReader& c) {
  return std::make_shared<SparseTopKCategoricalAccuracy>(
      SparseTopKCategoricalAccuracyOptions{.k = static_cast<int>(c.get_int("k", 5)),
                                           .name = c.get_string("name", "sparse_top_k_categorical_accuracy"),
                                           .from_sorted_ids = c.get_bool("from_sorted_ids", false)});
}

}  // namespace strata::metrics
