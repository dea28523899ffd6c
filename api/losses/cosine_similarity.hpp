#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct CosineSimilarityOptions {
  int axis = -1;  // not in Keras's get_config
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "cosine_similarity";
};

/// keras.losses.CosineSimilarity: -sum(l2_normalize(y_true) * l2_normalize(y_pred)) along `axis` (Keras's normalize, epsilon 1e-7).
class CosineSimilarity : public Loss {
 public:
  explicit CosineSimilarity(CosineSimilarityOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "CosineSimilarity"; }
  Value call(Value y_true, Value y_pred) const override;

 private:
  CosineSimilarityOptions options_;
};

}  // namespace strata::losses
