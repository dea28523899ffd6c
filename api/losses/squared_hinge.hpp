#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct SquaredHingeOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "squared_hinge";
};

/// keras.losses.SquaredHinge: mean(max(1 - t * y_pred, 0)^2) over the last axis; {0, 1} labels become {-1, 1} when all are binary.
class SquaredHinge : public Loss {
 public:
  explicit SquaredHinge(SquaredHingeOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "SquaredHinge"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  SquaredHingeOptions options_;
};

}  // namespace strata::losses
