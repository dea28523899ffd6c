#pragma once
// Keras's Mean and Sum (keras/src/metrics/reduction_metrics.py) over one values tensor. Standalone:
// `update_state(values, sample_weight)`. In compile/fit (where Keras itself fails: these take no y_true) they
// reduce the model's output y_pred.
#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

struct MeanOptions {
  std::string name = "mean";
};
/// The weighted mean of `values` (averaged per sample first when the weights have lower rank).
class Mean : public Metric {
 public:
  explicit Mean(MeanOptions options = {}) : Metric(std::move(options.name)) {}
  std::string class_name() const override { return "Mean"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  /// Reduces y_pred; y_true is unused.
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  /// Keras's Mean.update_state(values, sample_weight).
  void update_state(const Tensor& values, const std::optional<Tensor>& sample_weight = {});
};

struct SumOptions {
  std::string name = "sum";
};
/// The weighted sum of `values`.
class Sum : public Metric {
 public:
  explicit Sum(SumOptions options = {}) : Metric(std::move(options.name)) {}
  std::string class_name() const override { return "Sum"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  /// Reduces y_pred; y_true is unused.
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  /// Keras's Sum.update_state(values, sample_weight).
  void update_state(const Tensor& values, const std::optional<Tensor>& sample_weight = {});
};

}  // namespace strata::metrics
