#pragma once
// Keras's confusion-matrix metrics (keras/src/metrics/confusion_metrics.py): TruePositives, FalsePositives,
// TrueNegatives, FalseNegatives, Precision, Recall, AUC, SensitivityAtSpecificity, SpecificityAtSensitivity,
// PrecisionAtRecall, RecallAtPrecision. Their state is confusion counts per threshold, which the step graph adds
// to: sums over the batch of (y_pred > threshold) x label indicators x weights (metrics_utils.py's
// update_confusion_matrix_variables, including its bucketed path for evenly spaced thresholds).
#include <initializer_list>
#include <optional>
#include <vector>

#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

/// Keras's `thresholds` argument: None (the default), one float, or a list of floats. A list (even of one)
/// makes the metric's result a vector, as in Keras; config keeps the form it was given in.
class Thresholds {
 public:
  Thresholds() = default;
  Thresholds(double value) : values_{value}, given_(true) {}
  Thresholds(std::initializer_list<double> values) : values_(values), given_(true), is_list_(true) {}
  Thresholds(std::vector<double> values) : values_(std::move(values)), given_(true), is_list_(true) {}
  bool given() const { return given_; }
  bool is_list() const { return is_list_; }
  const std::vector<double>& values() const { return values_; }
  /// null, a number or a list, as Keras's get_config writes `thresholds`.
  nlohmann::json to_json() const;
  static Thresholds from_json(const nlohmann::json& j);

 private:
  std::vector<double> values_;
  bool given_ = false, is_list_ = false;
};

/// Which confusion counts an update adds, in this order.
struct ConfusionCounts {
  bool tp = false, fp = false, tn = false, fn = false;
};

/// The batch's additions to the requested confusion counts (tp, fp, tn, fn order), each of shape (T,)
/// or (T, labels) with multi_label: Keras's update_confusion_matrix_variables. `label_weights` (invalid if
/// none) weigh labels when not multi_label.
std::vector<Value> confusion_update(ConfusionCounts counts, Value y_true, Value y_pred, Value sample_weight,
                                    const std::vector<double>& thresholds, bool thresholds_distributed_evenly,
                                    std::optional<int> top_k = {}, std::optional<int> class_id = {},
                                    bool multi_label = false, const std::vector<double>& label_weights = {});
/// Keras's is_evenly_distributed_thresholds: 3 or more thresholds equal to i / (n - 1) within 1e-7.
bool is_evenly_distributed_thresholds(const std::vector<double>& thresholds);

/// Base of the four single-count metrics (Keras's _ConfusionMatrixConditionCount).
class ConfusionConditionCount : public Metric {
 public:
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  /// The count at the one threshold; UnsupportedError when several thresholds make the result a vector.
  double result() const override;
  /// The count per threshold (Keras's result as a vector).
  std::vector<double> results() const;
  nlohmann::json get_config() const override;

 protected:
  ConfusionConditionCount(std::string name, ConfusionCounts which, Thresholds thresholds);

 private:
  ConfusionCounts which_;
  Thresholds init_thresholds_;
  std::vector<double> thresholds_;
  bool evenly_;
};

struct ConfusionCountOptions {
  Thresholds thresholds;
  std::string name;  // empty: the class's snake_case name
};

#define STRATA_CONFUSION_COUNT(Class, snake)                                                                  \
  class Class : public ConfusionConditionCount {                                                              \
   public:                                                                                                    \
    explicit Class(ConfusionCountOptions options = {});                                                       \
    std::string class_name() const override { return #Class; }                                               \
    static std::shared_ptr<Metric> from_config(const ConfigReader& config);                                   \
  };
STRATA_CONFUSION_COUNT(TruePositives, "true_positives")
STRATA_CONFUSION_COUNT(FalsePositives, "false_positives")
STRATA_CONFUSION_COUNT(TrueNegatives, "true_negatives")
STRATA_CONFUSION_COUNT(FalseNegatives, "false_negatives")
#undef STRATA_CONFUSION_COUNT

struct PrecisionOptions {
  Thresholds thresholds;
  std::optional<int> top_k;
  std::optional<int> class_id;
  std::string name = "precision";
};
struct RecallOptions {
  Thresholds thresholds;
  std::optional<int> top_k;
  std::optional<int> class_id;
  std::string name = "recall";
};

/// Keras's Precision (tp / (tp + fp)) and Recall (tp / (tp + fn)) per threshold, with top_k and class_id.
class PrecisionRecallBase : public Metric {
 public:
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  std::vector<double> results() const;
  nlohmann::json get_config() const override;

 protected:
  PrecisionRecallBase(std::string name, Thresholds thresholds, std::optional<int> top_k, std::optional<int> class_id,
                      bool recall);

 private:
  bool recall_;
  Thresholds init_thresholds_;
  std::vector<double> thresholds_;
  bool evenly_;
  std::optional<int> top_k_, class_id_;
};

class Precision : public PrecisionRecallBase {
 public:
  explicit Precision(PrecisionOptions o = {})
      : PrecisionRecallBase(std::move(o.name), std::move(o.thresholds), o.top_k, o.class_id, false) {}
  std::string class_name() const override { return "Precision"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
};

class Recall : public PrecisionRecallBase {
 public:
  explicit Recall(RecallOptions o = {})
      : PrecisionRecallBase(std::move(o.name), std::move(o.thresholds), o.top_k, o.class_id, true) {}
  std::string class_name() const override { return "Recall"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
};

struct SensitivitySpecificityOptions {
  int num_thresholds = 200;
  std::optional<int> class_id;
  std::string name;  // empty: the class's snake_case name
};

/// Keras's SensitivitySpecificityBase: the best `dependent` rate over the thresholds whose `constrained` rate
/// reaches the target value.
class SensitivitySpecificityBase : public Metric {
 public:
  enum class Rate { sensitivity, specificity, precision, recall };
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  nlohmann::json get_config() const override;

 protected:
  SensitivitySpecificityBase(const char* value_key, double value, Rate constrained, Rate dependent,
                             SensitivitySpecificityOptions options, const char* default_name);

 private:
  std::string value_key_;
  double value_;
  Rate constrained_, dependent_;
  int num_thresholds_;
  std::optional<int> class_id_;
  std::vector<double> thresholds_;
  bool evenly_;
};

#define STRATA_SENSITIVITY_METRIC(Class, arg)                                                                  \
  class Class : public SensitivitySpecificityBase {                                                           \
   public:                                                                                                    \
    explicit Class(double arg, SensitivitySpecificityOptions options = {});                                   \
    std::string class_name() const override { return #Class; }                                               \
    static std::shared_ptr<Metric> from_config(const ConfigReader& config);                                   \
  };
STRATA_SENSITIVITY_METRIC(SensitivityAtSpecificity, specificity)
STRATA_SENSITIVITY_METRIC(SpecificityAtSensitivity, sensitivity)
STRATA_SENSITIVITY_METRIC(PrecisionAtRecall, recall)
STRATA_SENSITIVITY_METRIC(RecallAtPrecision, precision)
#undef STRATA_SENSITIVITY_METRIC

struct AUCOptions {
  int num_thresholds = 200;
  std::string curve = "ROC";  // "ROC", "PR" or "PRGAIN" (or lower case)
  std::string summation_method = "interpolation";  // "interpolation", "minoring", "majoring"
  std::string name = "auc";
  std::optional<std::vector<double>> thresholds;  // given: num_thresholds = its size + 2
  bool multi_label = false;
  std::optional<int> num_labels;
  std::optional<std::vector<double>> label_weights;
  bool from_logits = false;
};

/// Keras's AUC: the area under the ROC or PR curve from confusion counts at num_thresholds thresholds
/// (0 - epsilon, i / (n - 1), 1 + epsilon).
class AUC : public Metric {
 public:
  explicit AUC(AUCOptions options = {});
  std::string class_name() const override { return "AUC"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  nlohmann::json get_config() const override;
  /// The thresholds, endpoints included (Keras's AUC.thresholds).
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  double interpolate_pr_auc() const;
  /// Per-label areas (one entry unless multi_label) averaged as Keras does (label_weights when given).
  double average_over_labels(const std::vector<double>& by_label) const;
  AUCOptions options_;
  std::string curve_, summation_method_;
  int num_thresholds_;
  std::vector<double> thresholds_;
  bool evenly_;
};

}  // namespace strata::metrics
