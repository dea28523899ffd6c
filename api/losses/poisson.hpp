#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct PoissonOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "poisson";
};

/// keras.losses.Poisson: mean(y_pred - y_true * log(y_pred + 1e-7)) over the last axis.
class Poisson : public Loss {
 public:
  explicit Poisson(PoissonOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "Poisson"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  PoissonOptions options_;
};

}  // namespace strata::losses
