#pragma once
#include <strata/api/regularizers/regularizer.hpp>

namespace strata::regularizers {

struct L1L2Options {
  double l1 = 0.0;
  double l2 = 0.0;
};

/// keras.regularizers.L1L2: l1 * sum(|x|) + l2 * sum(x²). Keras 3's identifier is "l1l2" (its docstring's
/// "l1_l2" is tf.keras 2's, accepted too); either gives L1L2() with these defaults, l1 = l2 = 0.
class L1L2 : public Regularizer {
 public:
  explicit L1L2(L1L2Options options = {});
};

}  // namespace strata::regularizers
