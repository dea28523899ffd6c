#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct MeanSquaredLogarithmicErrorOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "mean_squared_logarithmic_error";
};

/// keras.losses.MeanSquaredLogarithmicError: mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))^2) over the last axis.
class MeanSquaredLogarithmicError : public Loss {
 public:
  explicit MeanSquaredLogarithmicError(MeanSquaredLogarithmicErrorOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "MeanSquaredLogarithmicError"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  MeanSquaredLogarithmicErrorOptions options_;
};

}  // namespace strata::losses
