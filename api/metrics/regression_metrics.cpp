#include <strata/api/metrics/regression_metrics.hpp>

#include <cmath>

#include <strata/api/errors.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

Value MeanAbsolutePercentageError::call(Value y_true, Value y_pred) const {
  return losses::mean_absolute_percentage_error(y_true, y_pred);
}
Value MeanSquaredLogarithmicError::call(Value y_true, Value y_pred) const {
  return losses::mean_squared_logarithmic_error(y_true, y_pred);
}
Value LogCoshError::call(Value y_true, Value y_pred) const { return losses::log_cosh(y_true, y_pred); }

STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(MeanAbsolutePercentageError, "mean_absolute_percentage_error")
STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error")
STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(LogCoshError, "logcosh")

Value RootMeanSquaredError::call(Value y_true, Value y_pred) const {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), y_pred);
  return ops::square(p - t);
}

double RootMeanSquaredError::result() const { return std::sqrt(MeanMetricWrapper::result()); }

std::shared_ptr<Metric> RootMeanSquaredError::from_config(const ConfigReader& c) {
  return std::make_shared<RootMeanSquaredError>(
      RootMeanSquaredErrorOptions{.name = c.get_string("name", "root_mean_squared_error")});
}

// the metric is +cos (the loss is its negative)
Value CosineSimilarity::call(Value y_true, Value y_pred) const {
  return -losses::cosine_similarity(y_true, y_pred, axis_);
}

std::shared_ptr<Metric> CosineSimilarity::from_config(const ConfigReader& c) {
  return std::make_shared<CosineSimilarity>(
      CosineSimilarityOptions{.name = c.get_string("name", "cosine_similarity"),
                              .axis = static_cast<int>(c.get_int("axis", -1))});
}

R2Score::R2Score(R2ScoreOptions options) : Metric(options.name), options_(std::move(options)) {
  const std::string& a = options_.class_aggregation;
  if (!a.empty() && a != "uniform_average" && a != "variance_weighted_average")
    throw ValueError("Invalid value for argument `class_aggregation`. Expected one of (None, 'uniform_average', "
                     "'variance_weighted_average'). Received: class_aggregation=" + a);
  if (options_.num_regressors < 0)
    throw ValueError("Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors=" +
                     std::to_string(options_.num_regressors));
}

nlohmann::json R2Score::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["class_aggregation"] = options_.class_aggregation.empty() ? nlohmann::json() : nlohmann::json(options_.class_aggregation);
  c["num_regressors"] = options_.num_regressors;
  return c;
}

std::shared_ptr<Metric> R2Score::from_config(const ConfigReader& c) {
  const auto& j = c.json();
  std::string aggregation = "uniform_average";
  if (j.contains("class_aggregation")) aggregation = j["class_aggregation"].is_null() ? "" : c.get_string("class_aggregation");
  return std::make_shared<R2Score>(R2ScoreOptions{.class_aggregation = aggregation,
                                                  .num_regressors = static_cast<int>(c.get_int("num_regressors", 0)),
                                                  .name = c.get_string("name", "r2_score")});
}

// state: sum(w y), sum(w y^2), sum(w (y - p)^2), sum(w) per output, then the element count (Keras's num_samples)
std::vector<Value> R2Score::update(Value y_true, Value y_pred, Value sample_weight) const {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32),
                                                       ops::cast(y_pred, DType::float32));
  if (t.ndim() != 2 || p.ndim() != 2)
    throw ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                     "y_pred.shape=" + shape_str(p.shape()) + " and y_true.shape=" + shape_str(t.shape()) + ".");
  Graph& g = t.graph();
  Value w;
  if (sample_weight.valid()) {
    w = ops::cast(sample_weight, DType::float32);
    if (w.ndim() == 1) w = ops::reshape(w, {w.dim(0), 1});
    w = ops::broadcast_to(w, t.shape());
  } else {
    w = ops::broadcast_to(g.scalar(1.0f), t.shape());
  }
  Value weighted = t * w;
  Value residual = ops::square(t - p) * w;
  return {ops::sum(weighted, {0}), ops::sum(t * weighted, {0}), ops::sum(residual, {0}), ops::sum(w, {0}),
          g.scalar(static_cast<float>(num_elements(t.shape())))};
}

std::vector<double> R2Score::results() const {
  auto sum = state(0), squared_sum = state(1), residual = state(2), count = state(3), samples = state(4);
  if (sum.empty()) return {options_.class_aggregation.empty() ? std::vector<double>{} : std::vector<double>{0.0}};
  const std::size_t k = sum.size();
  std::vector<double> raw(k), total(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double mean = sum[i] / count[i];
    total[i] = squared_sum[i] - sum[i] * mean;
    raw[i] = 1.0 - residual[i] / total[i];
    if (std::isinf(raw[i])) raw[i] = 0.0;
  }
  std::vector<double> scores = raw;
  if (options_.class_aggregation == "uniform_average") {
    double score = 0;
    for (double r : raw) score += r;
    scores = {score / static_cast<double>(k)};
  } else if (!options_.class_aggregation.empty()) {
    double weighted = 0, weights = 0;
    for (std::size_t i = 0; i < k; ++i) weighted += total[i] * raw[i], weights += total[i];
    scores = {weighted / weights};
  }
  const double n = samples[0], p = options_.num_regressors;
  // adjusted R2; Keras falls back to the plain score (with a warning) when n - 1 <= p
  if (p != 0 && p < n - 1)
    for (double& s : scores) s = 1.0 - (1.0 - s) * (n - 1.0) / (n - p - 1.0);
  return scores;
}

double R2Score::result() const {
  if (options_.class_aggregation.empty())
    throw UnsupportedError("R2Score '" + name() +
                           "' with class_aggregation=None has one score per output; a log holds one number per "
                           "metric: use class_aggregation='uniform_average' or 'variance_weighted_average' to log "
                           "it, or read results() on a standalone metric.");
  return results()[0];
}

}  // namespace strata::metrics
