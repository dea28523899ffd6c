#pragma once
#include <string>

#include <strata/api/regularizers/regularizer.hpp>

namespace strata::regularizers {

struct OrthogonalRegularizerOptions {
  double factor = 0.01;
  std::string mode = "rows";  // rows or columns
};

/// keras.regularizers.OrthogonalRegularizer on a rank-2 weight: factor * 0.5 * sum(|P - diag(P)|) / num_pairs,
/// where P is the Gram matrix of the L2-normalized rows (or columns) and num_pairs = n (n - 1) / 2.
class OrthogonalRegularizer : public Regularizer {
 public:
  explicit OrthogonalRegularizer(OrthogonalRegularizerOptions options = {});
};

}  // namespace strata::regularizers
