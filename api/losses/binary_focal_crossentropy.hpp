#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct BinaryFocalCrossentropyOptions {
  bool apply_class_balancing = false;  // weight alpha for class 1, 1 - alpha for class 0
  double alpha = 0.25;
  double gamma = 2.0;  // focal factor (1 - p_t)^gamma
  bool from_logits = false;
  double label_smoothing = 0.0;  // y_true * (1 - s) + 0.5 * s
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "binary_focal_crossentropy";
};

/// keras.losses.BinaryFocalCrossentropy: binary crossentropy scaled by (1 - p_t)^gamma (p_t the probability
/// of the true class), optionally class-balanced by alpha, averaged over `axis`.
class BinaryFocalCrossentropy : public Loss {
 public:
  explicit BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions options = {});
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "BinaryFocalCrossentropy"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  BinaryFocalCrossentropyOptions options_;
};

}  // namespace strata::losses
