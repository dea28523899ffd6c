#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct CategoricalHingeOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "categorical_hinge";
};

/// keras.losses.CategoricalHinge: max(max((1 - t) * p) - sum(t * p) + 1, 0) over the last axis.
class CategoricalHinge : public Loss {
 public:
  explicit CategoricalHinge(CategoricalHingeOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "CategoricalHinge"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  CategoricalHingeOptions options_;
};

}  // namespace strata::losses
