#include <strata/api/metrics/hinge_metrics.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::metrics {

Value Hinge::call(Value y_true, Value y_pred) const { return losses::hinge(y_true, y_pred); }
Value SquaredHinge::call(Value y_true, Value y_pred) const { return losses::squared_hinge(y_true, y_pred); }
Value CategoricalHinge::call(Value y_true, Value y_pred) const { return losses::categorical_hinge(y_true, y_pred); }

STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(Hinge, "hinge")
STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(SquaredHinge, "squared_hinge")
STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(CategoricalHinge, "categorical_hinge")

}  // namespace strata::metrics
