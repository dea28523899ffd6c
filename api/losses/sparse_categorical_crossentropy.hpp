#pragma once
#include <optional>

#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "sparse_categorical_crossentropy";
  /// A label whose values are left out of the loss and of its mean (e.g. a segmentation map's "void" class).
  std::optional<int> ignore_class;
};

/// keras.losses.SparseCategoricalCrossentropy: categorical crossentropy with y_true as class indices,
/// int32 of shape (batch,) or (batch, 1).
class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {})
      : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  Value call(Value y_true, Value y_pred) const override;
  Value mask(Value y_true, Value y_pred) const override;
  DType label_dtype() const override { return DType::int32; }
  nlohmann::json get_config() const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace strata::losses
