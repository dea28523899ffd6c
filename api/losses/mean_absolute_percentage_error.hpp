#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct MeanAbsolutePercentageErrorOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "mean_absolute_percentage_error";
};

/// keras.losses.MeanAbsolutePercentageError: 100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|) over the last axis.
class MeanAbsolutePercentageError : public Loss {
 public:
  explicit MeanAbsolutePercentageError(MeanAbsolutePercentageErrorOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "MeanAbsolutePercentageError"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  MeanAbsolutePercentageErrorOptions options_;
};

}  // namespace strata::losses
