#pragma once
// Keras's KLDivergence and Poisson metrics (keras/src/metrics/probabilistic_metrics.py); the crossentropies
// are in loss_metrics.hpp.
#include <strata/api/metrics/named_metric.hpp>

namespace strata::metrics {

STRATA_NAMED_MEAN_METRIC(KLDivergence, "kl_divergence")
STRATA_NAMED_MEAN_METRIC(Poisson, "poisson")

}  // namespace strata::metrics
