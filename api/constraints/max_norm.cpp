#include <strata/api/constraints/constraints.hpp>

namespace strata::constraints {

MaxNorm::MaxNorm(MaxNormOptions o)
    : Constraint("MaxNorm", {{"max_value", o.max_value}, {"axis", o.axis.to_json()}}, [o](Value w) {
        Value norms = weight_norms(w, o.axis);
        Value desired = ops::clip(norms, 0.0f, static_cast<float>(o.max_value));
        return w * (desired / (norms + 1e-7f));
      }) {}

}  // namespace strata::constraints
