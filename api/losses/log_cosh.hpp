#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct LogCoshOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "log_cosh";
};

/// keras.losses.LogCosh: mean(log(cosh(y_pred - y_true))) over the last axis, as x + softplus(-2x) - log(2).
class LogCosh : public Loss {
 public:
  explicit LogCosh(LogCoshOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "LogCosh"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  LogCoshOptions options_;
};

}  // namespace strata::losses
