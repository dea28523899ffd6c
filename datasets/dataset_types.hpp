#pragma once
#include <strata/api/tensor.hpp>

namespace strata::datasets {

/// Inputs and targets of one split: `auto& [x_train, y_train] = train;`.
struct Split {
  Tensor x, y;
};

/// What Keras's `load_data()` returns as `(x_train, y_train), (x_test, y_test)`:
/// `auto [train, test] = fashion_mnist::load_data();`.
struct TrainTest {
  Split train, test;
};

}  // namespace strata::datasets
