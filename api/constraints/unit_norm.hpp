#pragma once
#include <strata/api/constraints/constraint.hpp>

namespace strata::constraints {

struct UnitNormOptions {
  Axes axis = 0;
};

/// keras.constraints.UnitNorm: w / (1e-7 + norms), norms over `axis`.
class UnitNorm : public Constraint {
 public:
  explicit UnitNorm(UnitNormOptions options = {});
};

}  // namespace strata::constraints
