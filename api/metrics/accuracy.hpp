#pragma once
// Keras's accuracy metrics: keras.metrics.BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy
// and their functions. Per-sample values are 1.0 for a match, 0.0 otherwise.
#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

/// mean over the last axis of (y_pred > threshold) == y_true.
Value binary_accuracy(Value y_true, Value y_pred, double threshold = 0.5);
/// argmax(y_true) == argmax(y_pred) along the last axis (one-hot y_true).
Value categorical_accuracy(Value y_true, Value y_pred);
/// y_true == argmax(y_pred) along the last axis (class-index y_true, (batch,) or (batch, 1)).
Value sparse_categorical_accuracy(Value y_true, Value y_pred);

struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  double threshold = 0.5;
};
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), threshold_(options.threshold) {}
  std::string class_name() const override { return "BinaryAccuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override { return binary_accuracy(y_true, y_pred, threshold_); }
  nlohmann::json get_config() const override;

 private:
  double threshold_;
};

struct CategoricalAccuracyOptions {
  std::string name = "categorical_accuracy";
};
class CategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit CategoricalAccuracy(CategoricalAccuracyOptions options = {}) : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "CategoricalAccuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override { return categorical_accuracy(y_true, y_pred); }
};

struct SparseCategoricalAccuracyOptions {
  std::string name = "sparse_categorical_accuracy";
};
class SparseCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalAccuracy(SparseCategoricalAccuracyOptions options = {})
      : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "SparseCategoricalAccuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override { return sparse_categorical_accuracy(y_true, y_pred); }
};

// Accuracy (exact equality) and the top-k accuracies (issue 5)
/// y_true == y_pred elementwise (after squeeze_or_expand_to_same_rank).
Value accuracy(Value y_true, Value y_pred);
/// Whether argmax(y_true) is among the k largest of y_pred (Keras's in_top_k: ties with the k-th count in).
Value top_k_categorical_accuracy(Value y_true, Value y_pred, int k = 5);
/// Whether the class index y_true is among the k largest of y_pred; with from_sorted_ids, y_pred holds class ids
/// sorted by score and the first k are compared.
Value sparse_top_k_categorical_accuracy(Value y_true, Value y_pred, int k = 5, bool from_sorted_ids = false);

struct AccuracyOptions {
  std::string name = "accuracy";
};
class Accuracy : public MeanMetricWrapper {
 public:
  explicit Accuracy(AccuracyOptions options = {}) : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "Accuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override { return accuracy(y_true, y_pred); }
};

struct TopKCategoricalAccuracyOptions {
  int k = 5;
  std::string name = "top_k_categorical_accuracy";
};
class TopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), k_(options.k) {}
  std::string class_name() const override { return "TopKCategoricalAccuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override { return top_k_categorical_accuracy(y_true, y_pred, k_); }
  nlohmann::json get_config() const override;

 private:
  int k_;
};

struct SparseTopKCategoricalAccuracyOptions {
  int k = 5;
  std::string name = "sparse_top_k_categorical_accuracy";
  bool from_sorted_ids = false;
};
class SparseTopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseTopKCategoricalAccuracy(SparseTopKCategoricalAccuracyOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), k_(options.k), from_sorted_ids_(options.from_sorted_ids) {}
  std::string class_name() const override { return "SparseTopKCategoricalAccuracy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override {
    return sparse_top_k_categorical_accuracy(y_true, y_pred, k_, from_sorted_ids_);
  }
  nlohmann::json get_config() const override;

 private:
  int k_;
  bool from_sorted_ids_;
};

}  // namespace strata::metrics
