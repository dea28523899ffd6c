#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;  // y_true * (1 - s) + 0.5 * s
  int axis = -1;
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "binary_crossentropy";
};

/// keras.losses.BinaryCrossentropy: -(t log p + (1 - t) log(1 - p)) averaged over `axis`, with p clipped
/// to [1e-7, 1 - 1e-7]; from logits through the stable log-sigmoid form.
class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "BinaryCrossentropy"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  BinaryCrossentropyOptions options_;
};

}  // namespace strata::losses
