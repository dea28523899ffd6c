#pragma once
#include <strata/api/regularizers/regularizer.hpp>

namespace strata::regularizers {

/// keras.regularizers.L1: l1 * sum(|x|).
class L1 : public Regularizer {
 public:
  explicit L1(double l1 = 0.01);
};

}  // namespace strata::regularizers
