#pragma once
#include <strata/api/regularizers/regularizer.hpp>

namespace strata::regularizers {

/// keras.regularizers.L2: l2 * sum(x²) (no factor 1/2).
class L2 : public Regularizer {
 public:
  explicit L2(double l2 = 0.01);
};

}  // namespace strata::regularizers
