#pragma once
// Keras's FBetaScore and F1Score (keras/src/metrics/f_score_metrics.py) on (batch, num_classes) inputs.
#include <optional>

#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

/// average: "" (Keras's None: one score per class, read with results()), "micro", "macro" or "weighted".
/// threshold: unset = the largest prediction of each sample counts as 1 (when nonzero); else y_pred > threshold.
struct FBetaScoreOptions {
  std::string average = "";
  double beta = 1.0;
  std::optional<double> threshold;
  std::string name = "fbeta_score";
};
class FBetaScore : public Metric {
 public:
  explicit FBetaScore(FBetaScoreOptions options = {});
  std::string class_name() const override { return "FBetaScore"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  /// The averaged score; UnsupportedError for average=None (one score per class: results()).
  double result() const override;
  /// One score per class for average=None, else the one averaged score.
  std::vector<double> results() const;

 protected:
  FBetaScoreOptions options_;
};

struct F1ScoreOptions {
  std::string average = "";
  std::optional<double> threshold;
  std::string name = "f1_score";
};
class F1Score : public FBetaScore {
 public:
  explicit F1Score(F1ScoreOptions options = {})
      : FBetaScore({.average = std::move(options.average),
                    .beta = 1.0,
                    .threshold = options.threshold,
                    .name = std::move(options.name)}) {}
  std::string class_name() const override { return "F1Score"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
};

}  // namespace strata::metrics
