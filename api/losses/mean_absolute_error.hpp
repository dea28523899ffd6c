#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct MeanAbsoluteErrorOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "mean_absolute_error";
};

/// keras.losses.MeanAbsoluteError: mean(|y_true - y_pred|) over the last axis.
class MeanAbsoluteError : public Loss {
 public:
  explicit MeanAbsoluteError(MeanAbsoluteErrorOptions options = {}) : Loss(options.reduction), name_(std::move(options.name)) {}
  std::string name() const override { return name_; }
  std::string class_name() const override { return "MeanAbsoluteError"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  std::string name_;
};

}  // namespace strata::losses
