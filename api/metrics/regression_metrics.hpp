#pragma once
// Keras's regression metrics (keras/src/metrics/regression_metrics.py) beyond MeanSquaredError and
// MeanAbsoluteError (loss_metrics.hpp): RootMeanSquaredError, MeanAbsolutePercentageError,
// MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError and R2Score.
#include <optional>

#include <strata/api/metrics/named_metric.hpp>

namespace strata::metrics {

STRATA_NAMED_MEAN_METRIC(MeanAbsolutePercentageError, "mean_absolute_percentage_error")
STRATA_NAMED_MEAN_METRIC(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error")
STRATA_NAMED_MEAN_METRIC(LogCoshError, "logcosh")

/// sqrt of the weighted mean of (y_pred - y_true)^2 (each sample's squares averaged first, as Keras's Mean).
struct RootMeanSquaredErrorOptions {
  std::string name = "root_mean_squared_error";
};
class RootMeanSquaredError : public MeanMetricWrapper {
 public:
  explicit RootMeanSquaredError(RootMeanSquaredErrorOptions options = {})
      : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "RootMeanSquaredError"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
  double result() const override;
};

/// The mean cosine similarity along `axis` (Keras's config has no axis key, so from_config gives -1).
struct CosineSimilarityOptions {
  std::string name = "cosine_similarity";
  int axis = -1;
};
class CosineSimilarity : public MeanMetricWrapper {
 public:
  explicit CosineSimilarity(CosineSimilarityOptions options = {})
      : MeanMetricWrapper(std::move(options.name)), axis_(options.axis) {}
  std::string class_name() const override { return "CosineSimilarity"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;

 private:
  int axis_;
};

/// Keras's R2Score on (batch, output_dim) inputs. class_aggregation: "uniform_average",
/// "variance_weighted_average" or "" (Keras's None: one score per output, read with results()).
struct R2ScoreOptions {
  std::string class_aggregation = "uniform_average";
  int num_regressors = 0;
  std::string name = "r2_score";
};
class R2Score : public Metric {
 public:
  explicit R2Score(R2ScoreOptions options = {});
  std::string class_name() const override { return "R2Score"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  /// The aggregated score; UnsupportedError when class_aggregation is None (one score per output: results()).
  double result() const override;
  /// The score per output when class_aggregation is None, else the one aggregated score.
  std::vector<double> results() const;

 private:
  R2ScoreOptions options_;
};

}  // namespace strata::metrics
