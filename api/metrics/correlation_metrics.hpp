#pragma once
// Keras's PearsonCorrelation and ConcordanceCorrelation (keras/src/metrics/correlation_metrics.py): the
// coefficient of each sample along `axis`, averaged over samples and batches as a MeanMetricWrapper (Keras 3.15
// defines them batch-wise, not over the whole data set).
#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

/// Pearson's r along `axis`: mean(((t - mean t) / std t) * ((p - mean p) / std p)).
Value pearson_correlation(Value y_true, Value y_pred, int axis = -1);
/// Keras's concordance_correlation along `axis`, its covariance term (t - mean p) * (p - mean p) included.
Value concordance_correlation(Value y_true, Value y_pred, int axis = -1);

struct PearsonCorrelationOptions {
  std::string name = "pearson_correlation";
  int axis = -1;
};
class PearsonCorrelation : public MeanMetricWrapper {
 public:
  explicit PearsonCorrelation(PearsonCorrelationOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), axis_(options.axis) {}
  std::string class_name() const override { return "PearsonCorrelation"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
  Value call(Value y_true, Value y_pred) const override { return pearson_correlation(y_true, y_pred, axis_); }

 private:
  int axis_;
};

struct ConcordanceCorrelationOptions {
  std::string name = "concordance_correlation";
  int axis = -1;
};
class ConcordanceCorrelation : public MeanMetricWrapper {
 public:
  explicit ConcordanceCorrelation(ConcordanceCorrelationOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), axis_(options.axis) {}
  std::string class_name() const override { return "ConcordanceCorrelation"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
  Value call(Value y_true, Value y_pred) const override { return concordance_correlation(y_true, y_pred, axis_); }

 private:
  int axis_;
};

}  // namespace strata::metrics
