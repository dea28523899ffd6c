#include <strata/api/metrics/correlation_metrics.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

namespace {
// the population variance along axis, kept
Value variance(Value x, int axis) {
  Value centered = x - ops::mean(x, {axis}, true);
  return ops::mean(ops::square(centered), {axis}, true);
}
std::pair<Value, Value> as_float_same_rank(Value y_true, Value y_pred) {
  return losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, DType::float32), ops::cast(y_pred, DType::float32));
}
}  // namespace

Value pearson_correlation(Value y_true, Value y_pred, int axis) {
  auto [t, p] = as_float_same_rank(y_true, y_pred);
  Value t_norm = t - ops::mean(t, {axis}, true);
  Value p_norm = p - ops::mean(p, {axis}, true);
  t_norm = t_norm / ops::sqrt(variance(t_norm, axis));
  p_norm = p_norm / ops::sqrt(variance(p_norm, axis));
  return ops::mean(t_norm * p_norm, {axis});
}

Value concordance_correlation(Value y_true, Value y_pred, int axis) {
  auto [t, p] = as_float_same_rank(y_true, y_pred);
  Value t_mean = ops::mean(t, {axis}, true);
  Value p_mean = ops::mean(p, {axis}, true);
  Value t_var = variance(t - t_mean, axis);
  Value p_var = variance(p - p_mean, axis);
  Value covar = (t - p_mean) * (p - p_mean);  // as Keras 3.15 writes it
  Value norm = t_var + p_var + ops::square(t_mean - p_mean);
  return ops::mean(2.0f * covar / (norm + 1e-7f), {axis});
}

nlohmann::json PearsonCorrelation::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["axis"] = axis_;
  return c;
}
nlohmann::json ConcordanceCorrelation::get_config() const {
  nlohmann::json c = MeanMetricWrapper::get_config();
  c["axis"] = axis_;
  return c;
}

std::shared_ptr<Metric> PearsonCorrelation::from_config(const ConfigReader& c) {
  return std::make_shared<PearsonCorrelation>(PearsonCorrelationOptions{
      .name = c.get_string("name", "pearson_correlation"), .axis = static_cast<int>(c.get_int("axis", -1))});
}
std::shared_ptr<Metric> ConcordanceCorrelation::from_config(const ConfigReader& c) {
  return std::make_shared<ConcordanceCorrelation>(ConcordanceCorrelationOptions{
      .name = c.get_string("name", "concordance_correlation"), .axis = static_cast<int>(c.get_int("axis", -1))});
}

}  // namespace strata::metrics
