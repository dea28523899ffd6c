#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct KLDivergenceOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "kl_divergence";
};

/// keras.losses.KLDivergence: sum(t * log(t / p)) over the last axis, t and p clipped to [1e-7, 1].
class KLDivergence : public Loss {
 public:
  explicit KLDivergence(KLDivergenceOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "KLDivergence"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  KLDivergenceOptions options_;
};

}  // namespace strata::losses
