#include <strata/api/constraints/constraints.hpp>

namespace strata::constraints {

MinMaxNorm::MinMaxNorm(MinMaxNormOptions o)
    : Constraint("MinMaxNorm",
                 {{"min_value", o.min_value}, {"max_value", o.max_value}, {"rate", o.rate}, {"axis", o.axis.to_json()}},
                 [o](Value w) {
                   Value norms = weight_norms(w, o.axis);
                   Value desired =
                       ops::clip(norms, static_cast<float>(o.min_value), static_cast<float>(o.max_value)) *
                           static_cast<float>(o.rate) +
                       norms * static_cast<float>(1.0 - o.rate);
                   return w * (desired / (norms + 1e-7f));
                 }) {}

}  // namespace strata::constraints
