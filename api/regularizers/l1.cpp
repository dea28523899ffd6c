#include <strata/api/regularizers/regularizers.hpp>

namespace strata::regularizers {

L1::L1(double l1)
    : Regularizer("L1", {{"l1", validate_factor(l1, "l1")}},
                  [f = static_cast<float>(l1)](Value x) { return sum_abs(x) * f; }) {}

}  // namespace strata::regularizers
