#pragma once
#include <strata/api/constraints/constraint.hpp>

namespace strata::constraints {

struct MaxNormOptions {
  double max_value = 2.0;
  Axes axis = 0;
};

/// keras.constraints.MaxNorm: w * clip(norms, 0, max_value) / (1e-7 + norms), norms over `axis`.
class MaxNorm : public Constraint {
 public:
  explicit MaxNorm(MaxNormOptions options = {});
};

}  // namespace strata::constraints
