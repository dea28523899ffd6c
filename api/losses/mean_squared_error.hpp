#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct MeanSquaredErrorOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "mean_squared_error";
};

/// keras.losses.MeanSquaredError: mean((y_true - y_pred)^2) over the last axis.
class MeanSquaredError : public Loss {
 public:
  explicit MeanSquaredError(MeanSquaredErrorOptions options = {}) : Loss(options.reduction), name_(std::move(options.name)) {}
  std::string name() const override { return name_; }
  std::string class_name() const override { return "MeanSquaredError"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  std::string name_;
};

}  // namespace strata::losses
