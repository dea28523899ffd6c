#include <strata/api/constraints/constraints.hpp>

namespace strata::constraints {

UnitNorm::UnitNorm(UnitNormOptions o)
    : Constraint("UnitNorm", {{"axis", o.axis.to_json()}},
                 [o](Value w) { return w / (weight_norms(w, o.axis) + 1e-7f); }) {}

}  // namespace strata::constraints
