#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct HingeOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "hinge";
};

/// keras.losses.Hinge: mean(max(1 - t * y_pred, 0)) over the last axis; {0, 1} labels become {-1, 1} when all are binary.
class Hinge : public Loss {
 public:
  explicit Hinge(HingeOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "Hinge"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  HingeOptions options_;
};

}  // namespace strata::losses
