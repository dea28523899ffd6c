#include <strata/api/regularizers/regularizers.hpp>

namespace strata::regularizers {

L2::L2(double l2)
    : Regularizer("L2", {{"l2", validate_factor(l2, "l2")}},
                  [f = static_cast<float>(l2)](Value x) { return ops::sum(ops::square(x)) * f; }) {}

}  // namespace strata::regularizers
