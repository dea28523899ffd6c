#include <strata/api/regularizers/regularizers.hpp>

namespace strata::regularizers {

L1L2::L1L2(L1L2Options o)
    : Regularizer("L1L2", {{"l1", validate_factor(o.l1, "l1")}, {"l2", validate_factor(o.l2, "l2")}},
                  [l1 = static_cast<float>(o.l1), l2 = static_cast<float>(o.l2)](Value x) {
                    // Keras starts from 0 and adds only the non-zero terms
                    Value penalty = x.graph().scalar(0.0f);
                    if (l1 != 0.0f) penalty = penalty + sum_abs(x) * l1;
                    if (l2 != 0.0f) penalty = penalty + ops::sum(ops::square(x)) * l2;
                    return penalty;
                  }) {}

}  // namespace strata::regularizers
