#include <strata/callbacks/monitor_callback.hpp>

#include <cmath>
#include <set>

#include <spdlog/spdlog.h>

#include <strata/api/errors.hpp>

namespace strata::callbacks {

std::optional<bool> lower_is_better(const std::string& monitor) {
  // the `_direction` of Keras 3.15's metric classes, by their default names and compile() aliases
  static const std::set<std::string> down = {
      "loss", "mse", "mae", "mape", "msle", "mean_squared_error", "mean_absolute_error",
      "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "root_mean_squared_error", "hinge",
      "squared_hinge", "categorical_hinge", "binary_crossentropy", "categorical_crossentropy",
      "sparse_categorical_crossentropy", "logcosh", "log_cosh", "kl_divergence", "kld", "poisson",
      "binary_focal_crossentropy", "categorical_focal_crossentropy", "huber", "cosine_proximity"};
  static const std::set<std::string> up = {
      "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
      "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "precision", "recall", "auc", "prc",
      "f1_score", "fbeta_score", "iou", "mean_iou", "binary_iou", "one_hot_iou", "one_hot_mean_iou", "r2_score",
      "cosine_similarity", "pearson_correlation", "concordance_correlation", "sensitivity_at_specificity",
      "specificity_at_sensitivity", "precision_at_recall", "recall_at_precision"};
  std::string name = monitor.rfind("val_", 0) == 0 ? monitor.substr(4) : monitor;
  if (down.count(name)) return true;
  if (up.count(name)) return false;
  return std::nullopt;
}

MonitorCallback::MonitorCallback(std::string class_name, std::string monitor, std::string mode, double min_delta,
                                 std::optional<double> baseline)
    : class_name_(std::move(class_name)),
      monitor_(std::move(monitor)),
      mode_(std::move(mode)),
      min_delta_(std::abs(min_delta)),
      best_(baseline) {
  if (mode_ != "auto" && mode_ != "min" && mode_ != "max")
    throw ValueError(class_name_ + ": mode '" + mode_ + "' is unknown; valid modes: auto, min, max");
}

void MonitorCallback::set_monitor_op() {
  if (resolved_) return;
  if (mode_ == "min") {
    lower_is_better_ = true;
  } else if (mode_ == "max") {
    lower_is_better_ = false;
  } else {
    auto direction = lower_is_better(monitor_);
    if (!direction)
      throw ValueError(class_name_ + " callback received monitor=" + monitor_ +
                       ", but strata isn't able to automatically determine whether that metric should be maximized "
                       "or minimized. Pass `.mode = \"max\"` in order to monitor based on the highest metric value, "
                       "or pass `.mode = \"min\"` in order to use the lowest value.");
    lower_is_better_ = *direction;
  }
  resolved_ = true;
}

bool MonitorCallback::is_improvement(double value, std::optional<double> reference) const {
  if (!reference) return true;
  // Keras: monitor_op(value - min_delta, reference), with min_delta negated when lower is better
  const double delta = lower_is_better_ ? -min_delta_ : min_delta_;
  return lower_is_better_ ? value - delta < *reference : value - delta > *reference;
}

std::optional<double> MonitorCallback::monitor_value(const Logs& logs, const char* purpose) {
  auto it = logs.find(monitor_);
  if (it != logs.end()) return it->second;
  if (!warned_) {
    std::string available;
    for (const auto& [k, v] : logs) available += (available.empty() ? "" : ",") + k;
    spdlog::warn("{} conditioned on metric `{}` which is not available. Available metrics are: {}", purpose, monitor_,
                 available);
    warned_ = true;
  }
  return std::nullopt;
}

}  // namespace strata::callbacks
