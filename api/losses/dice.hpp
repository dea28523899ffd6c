#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct DiceOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "dice";
  std::vector<int> axis;  // axes summed over; empty = Keras's None (all axes, one scalar for the batch)
};

/// keras.losses.Dice: 1 - 2 sum(t p) / (sum(t) + sum(p) + 1e-7) over `axis`.
class Dice : public Loss {
 public:
  explicit Dice(DiceOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "Dice"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  DiceOptions options_;
};

}  // namespace strata::losses
