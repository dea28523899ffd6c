#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct HuberOptions {
  double delta = 1.0;  // not in Keras's get_config
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "huber_loss";
};

/// keras.losses.Huber: mean(0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2) over the last axis, e = y_pred - y_true.
class Huber : public Loss {
 public:
  explicit Huber(HuberOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "Huber"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  HuberOptions options_;
};

}  // namespace strata::losses
