#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct TverskyOptions {
  double alpha = 0.5;  // weight of sum((1 - p) t) (Keras names it the false positives)
  double beta = 0.5;   // weight of sum(p (1 - t))
  std::string reduction = "sum_over_batch_size";
  std::string name = "tversky";
  std::vector<int> axis;  // axes summed over; empty = Keras's None (all axes)
};

/// keras.losses.Tversky: 1 - sum(t p) / (sum(t p) + alpha sum((1 - p) t) + beta sum(p (1 - t)) + 1e-7) over `axis`.
class Tversky : public Loss {
 public:
  explicit Tversky(TverskyOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "Tversky"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  TverskyOptions options_;
};

}  // namespace strata::losses
