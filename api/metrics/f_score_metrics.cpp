#include <strata/api/metrics/f_score_metrics.hpp>

#include <strata/api/errors.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

namespace {
constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

std::string number_str(double v) {
  nlohmann::json j = v;
  return j.dump();
}

FBetaScoreOptions options_from(const ConfigReader& c, const std::string& default_name, double beta) {
  const auto& j = c.json();
  FBetaScoreOptions o{.beta = beta, .name = c.get_string("name", default_name)};
  if (j.contains("average") && !j["average"].is_null()) o.average = c.get_string("average");
  if (j.contains("threshold") && !j["threshold"].is_null()) o.threshold = c.get_double("threshold");
  return o;
}
}  // namespace

FBetaScore::FBetaScore(FBetaScoreOptions options) : Metric(options.name), options_(std::move(options)) {
  const std::string& a = options_.average;
  if (!a.empty() && a != "micro" && a != "macro" && a != "weighted")
    throw ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                     "Received: average=" + a);
  if (!(options_.beta > 0.0))
    throw ValueError("Invalid `beta` argument value. It should be > 0. Received: beta=" + number_str(options_.beta));
  if (options_.threshold && !(*options_.threshold > 0.0 && *options_.threshold <= 1.0))
    throw ValueError("Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold=" +
                     number_str(*options_.threshold));
}

nlohmann::json FBetaScore::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["average"] = options_.average.empty() ? nlohmann::json() : nlohmann::json(options_.average);
  c["beta"] = options_.beta;
  c["threshold"] = options_.threshold ? nlohmann::json(*options_.threshold) : nlohmann::json();
  return c;
}

nlohmann::json F1Score::get_config() const {
  nlohmann::json c = FBetaScore::get_config();
  c.erase("beta");
  return c;
}

std::shared_ptr<Metric> FBetaScore::from_config(const ConfigReader& c) {
  return std::make_shared<FBetaScore>(options_from(c, "fbeta_score", c.get_double("beta", 1.0)));
}

std::shared_ptr<Metric> F1Score::from_config(const ConfigReader& c) {
  FBetaScoreOptions o = options_from(c, "f1_score", 1.0);
  return std::make_shared<F1Score>(F1ScoreOptions{.average = o.average, .threshold = o.threshold, .name = o.name});
}

// state: true positives, false positives, false negatives, weighted support (per class, or scalars for micro)
std::vector<Value> FBetaScore::update(Value y_true, Value y_pred, Value sample_weight) const {
  if (y_true.ndim() != 2 || y_pred.ndim() != 2)
    throw ValueError(class_name() + " expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                     "y_pred.shape=" + shape_str(y_pred.shape()) + " and y_true.shape=" + shape_str(y_true.shape()) + ".");
  Graph& g = y_pred.graph();
  Value t = ops::cast(y_true, DType::float32);
  Value p = ops::cast(y_pred, DType::float32);
  if (options_.threshold) {
    p = ops::greater(p, g.scalar(static_cast<float>(*options_.threshold)));
  } else {
    Value top = ops::binary(p, ops::max(p, {-1}, true), BinaryKind::greater_equal);
    p = top * ops::greater(ops::abs(p), g.scalar(1e-9f));
  }
  Value w;
  if (sample_weight.valid()) {
    w = ops::cast(sample_weight, DType::float32);
    if (w.ndim() == 1) w = ops::reshape(w, {w.dim(0), 1});
  }
  const bool micro = options_.average == "micro";
  auto weighted_sum = [&](Value v) {
    if (w.valid()) v = v * w;
    return micro ? ops::sum(v) : ops::sum(v, {0});
  };
  return {weighted_sum(p * t), weighted_sum(p * (1.0f - t)), weighted_sum((1.0f - p) * t), weighted_sum(t)};
}

std::vector<double> FBetaScore::results() const {
  auto tp = state(0), fp = state(1), fn = state(2), support = state(3);
  if (tp.empty()) return options_.average.empty() ? std::vector<double>{} : std::vector<double>{0.0};
  const std::size_t k = tp.size();
  const double beta2 = options_.beta * options_.beta;
  std::vector<double> scores(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double precision = tp[i] / (tp[i] + fp[i] + kEpsilon);
    const double recall = tp[i] / (tp[i] + fn[i] + kEpsilon);
    scores[i] = precision * recall / (beta2 * precision + recall + kEpsilon) * (1.0 + beta2);
  }
  if (options_.average.empty()) return scores;
  double score = 0;
  if (options_.average == "weighted") {
    double total = 0;
    for (double s : support) total += s;
    for (std::size_t i = 0; i < k; ++i) score += scores[i] * support[i] / (total + kEpsilon);
  } else {
    for (double s : scores) score += s;
    score /= static_cast<double>(k);
  }
  return {score};
}

double FBetaScore::result() const {
  if (options_.average.empty())
    throw UnsupportedError(class_name() + " '" + name() +
                           "' with average=None has one score per class; a log holds one number per metric: use "
                           "average='micro', 'macro' or 'weighted' to log it, or read results() on a standalone "
                           "metric.");
  return results()[0];
}

}  // namespace strata::metrics
