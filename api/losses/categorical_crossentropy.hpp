#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;  // y_true * (1 - s) + s / num_classes
  int axis = -1;
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "categorical_crossentropy";
};

/// keras.losses.CategoricalCrossentropy: -sum(t log p) over `axis` for one-hot y_true; probabilities are
/// normalized to sum 1 and clipped to [1e-7, 1 - 1e-7]; logits go through log_softmax.
class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  CategoricalCrossentropyOptions options_;
};

}  // namespace strata::losses
