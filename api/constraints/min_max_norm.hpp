#pragma once
#include <strata/api/constraints/constraint.hpp>

namespace strata::constraints {

struct MinMaxNormOptions {
  double min_value = 0.0;
  double max_value = 1.0;
  double rate = 1.0;
  Axes axis = 0;
};

/// keras.constraints.MinMaxNorm: w * (rate * clip(norms, min, max) + (1 - rate) * norms) / (1e-7 + norms).
class MinMaxNorm : public Constraint {
 public:
  explicit MinMaxNorm(MinMaxNormOptions options = {});
};

}  // namespace strata::constraints
