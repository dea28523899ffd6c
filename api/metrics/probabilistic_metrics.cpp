#include <strata/api/metrics/probabilistic_metrics.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::metrics {

Value KLDivergence::call(Value y_true, Value y_pred) const { return losses::kl_divergence(y_true, y_pred); }
Value Poisson::call(Value y_true, Value y_pred) const { return losses::poisson(y_true, y_pred); }

STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(KLDivergence, "kl_divergence")
STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(Poisson, "poisson")

}  // namespace strata::metrics
