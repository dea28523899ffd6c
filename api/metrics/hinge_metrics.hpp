#pragma once
// Keras's hinge metrics (keras/src/metrics/hinge_metrics.py): running means of the hinge losses.
#include <strata/api/metrics/named_metric.hpp>

namespace strata::metrics {

STRATA_NAMED_MEAN_METRIC(Hinge, "hinge")
STRATA_NAMED_MEAN_METRIC(SquaredHinge, "squared_hinge")
STRATA_NAMED_MEAN_METRIC(CategoricalHinge, "categorical_hinge")

}  // namespace strata::metrics
