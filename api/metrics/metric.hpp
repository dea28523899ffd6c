#pragma once
#include <concepts>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// A metric averaged over samples (Keras's MeanMetricWrapper): the step graph emits per-sample values,
/// the host accumulates their running mean without allocating.
class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  virtual ~Metric() = default;
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  /// Per-sample values for a batch (shape (batch,) or y_pred's shape without the last axis).
  virtual Value call(Value y_true, Value y_pred) const = 0;
  virtual nlohmann::json get_config() const;

  void reset_state() { total_ = count_ = 0; }
  /// Adds a batch whose per-sample values average to `batch_mean` over `count` samples.
  void update_state(double batch_mean, double count) {
    total_ += batch_mean * count;
    count_ += count;
  }
  double result() const { return count_ > 0 ? total_ / count_ : 0.0; }

 private:
  std::string name_;
  double total_ = 0, count_ = 0;
};

/// A metric by Keras identifier ("accuracy", "mae", a loss name) or object.
class MetricArg {
 public:
  MetricArg(const char* identifier) : identifier_(identifier) {}
  MetricArg(std::string identifier) : identifier_(std::move(identifier)) {}
  MetricArg(std::shared_ptr<Metric> metric) : metric_(std::move(metric)) {}
  /// A metric object directly: `.metrics = {metrics::BinaryAccuracy({.threshold = 0.7})}`.
  template <class M>
    requires std::derived_from<M, Metric>
  MetricArg(M metric) : metric_(std::make_shared<M>(std::move(metric))) {}
  const std::string& identifier() const { return identifier_; }
  const std::shared_ptr<Metric>& metric() const { return metric_; }

 private:
  std::string identifier_;
  std::shared_ptr<Metric> metric_;
};

namespace metrics {
/// Resolves an identifier as Keras's compile does. "accuracy"/"acc" picks binary, sparse categorical
/// or categorical accuracy from the loss and the shapes of y_true (per sample, batch excluded)
/// and y_pred. ValueError listing the valid identifiers if unknown.
std::shared_ptr<Metric> get(const std::string& identifier, const std::string& loss_name, const Shape& y_true_shape,
                            const Shape& y_pred_shape);
}  // namespace metrics

}  // namespace strata
