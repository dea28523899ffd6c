#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct CategoricalFocalCrossentropyOptions {
  double alpha = 0.25;  // one weight for every class (Keras also takes a per-class list; strata a scalar only)
  double gamma = 2.0;   // modulating factor (1 - p)^gamma
  bool from_logits = false;
  double label_smoothing = 0.0;  // y_true * (1 - s) + s / num_classes
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "categorical_focal_crossentropy";
};

/// keras.losses.CategoricalFocalCrossentropy: -sum(alpha (1 - p)^gamma t log p) over `axis` for one-hot y_true;
/// probabilities normalized to sum 1 and clipped to [1e-7, 1 - 1e-7]; logits go through softmax.
class CategoricalFocalCrossentropy : public Loss {
 public:
  explicit CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions options = {});
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "CategoricalFocalCrossentropy"; }
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  CategoricalFocalCrossentropyOptions options_;
};

}  // namespace strata::losses
