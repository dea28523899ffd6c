#pragma once
#include <concepts>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// A loss: per-sample values from (y_true, y_pred), optionally weighted per sample, reduced as Keras's
/// `reduction`: "sum_over_batch_size" (default) and "mean" divide the sum by the number of values,
/// "sum" sums, "mean_with_sample_weight" divides by the sum of the sample weights, "none" keeps them.
class Loss {
 public:
  /// ValueError for a reduction Keras does not know.
  explicit Loss(std::string reduction = "sum_over_batch_size");
  virtual ~Loss() = default;
  const std::string& reduction() const { return reduction_; }
  /// Keras's snake_case name, used in logs and configs ("sparse_categorical_crossentropy").
  virtual std::string name() const = 0;
  /// Keras class name ("SparseCategoricalCrossentropy").
  virtual std::string class_name() const = 0;
  /// Per-sample losses, shape (batch,) (or y_pred's shape without the last axis).
  virtual Value call(Value y_true, Value y_pred) const = 0;
  /// Keras's mask on the per-sample values (set_keras_mask; ignore_class): 1 where a value counts, 0 where it is
  /// ignored, in the values' shape; invalid when every value counts. The reductions then average over valid values.
  virtual Value mask(Value y_true, Value y_pred) const { return {}; }
  /// dtype that y_true is fed as (int32 for sparse losses).
  virtual DType label_dtype() const { return DType::float32; }
  virtual nlohmann::json get_config() const;
  /// The loss for a batch (a scalar unless the reduction is "none"), each per-sample value scaled by
  /// `sample_weight` (absent = 1) where given: shape (batch,) or the per-sample values' shape.
  Value operator()(Value y_true, Value y_pred, Value sample_weight = {}) const;

 private:
  std::string reduction_;
};

/// A loss given by Keras identifier ("mse", "categorical_crossentropy", ...) or object.
class LossArg {
 public:
  LossArg(const char* identifier);
  LossArg(const std::string& identifier);
  LossArg(std::shared_ptr<Loss> loss) : loss_(std::move(loss)) {}
  template <class L>
    requires std::derived_from<L, Loss>
  LossArg(L loss) : loss_(std::make_shared<L>(std::move(loss))) {}
  const std::shared_ptr<Loss>& get() const { return loss_; }

 private:
  std::shared_ptr<Loss> loss_;
};

/// One loss for all outputs, or one per output.
struct Losses {
  Losses() = default;
  Losses(LossArg one) : items{std::move(one)} {}
  Losses(const char* one) : items{LossArg(one)} {}
  Losses(const std::string& one) : items{LossArg(one)} {}
  Losses(std::shared_ptr<Loss> one) : items{LossArg(std::move(one))} {}
  /// A loss object directly: `.loss = losses::CategoricalCrossentropy({.from_logits = true})`.
  template <class L>
    requires std::derived_from<L, Loss>
  Losses(L one) : items{LossArg(std::move(one))} {}
  Losses(std::initializer_list<LossArg> per_output) : items(per_output) {}
  std::vector<LossArg> items;
};

namespace losses {
/// ValueError listing the valid identifiers if unknown.
std::shared_ptr<Loss> get(const std::string& identifier);
}  // namespace losses

}  // namespace strata
