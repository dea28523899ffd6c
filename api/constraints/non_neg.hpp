#pragma once
#include <strata/api/constraints/constraint.hpp>

namespace strata::constraints {

/// keras.constraints.NonNeg: max(w, 0).
class NonNeg : public Constraint {
 public:
  NonNeg();
};

}  // namespace strata::constraints
