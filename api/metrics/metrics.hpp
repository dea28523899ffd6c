#pragma once
// Every built-in metric (strata::metrics) and the identifier resolution compile() uses.
#include <strata/api/metrics/accuracy.hpp>
#include <strata/api/metrics/confusion_metrics.hpp>
#include <strata/api/metrics/loss_metrics.hpp>
#include <strata/api/metrics/metric.hpp>
// the rest of keras.metrics (issue 5)
#include <strata/api/metrics/correlation_metrics.hpp>
#include <strata/api/metrics/f_score_metrics.hpp>
#include <strata/api/metrics/hinge_metrics.hpp>
#include <strata/api/metrics/iou_metrics.hpp>
#include <strata/api/metrics/probabilistic_metrics.hpp>
#include <strata/api/metrics/reduction_metrics.hpp>
#include <strata/api/metrics/regression_metrics.hpp>

namespace strata::metrics {

/// Identifiers metrics::get accepts.
std::vector<std::string> identifiers();
/// Whether metrics::get accepts `identifier`.
bool is_identifier(const std::string& identifier);

enum class AccuracyKind { binary, sparse_categorical, categorical };
/// Which accuracy "accuracy" means for these per-sample shapes (batch excluded), as Keras 3's compile:
/// binary when y_pred's last dim is 1; sparse categorical when y_true has lower rank, or a last dim of 1
/// while y_pred's is larger; else categorical.
AccuracyKind resolve_accuracy(const Shape& y_true_shape, const Shape& y_pred_shape);

}  // namespace strata::metrics
