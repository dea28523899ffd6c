#pragma once
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>
#include <strata/api/tensor.hpp>

namespace strata {

class ConfigReader;

/// A stateful Keras metric. Its state variables are sums: each step's graph computes the batch's additions
/// (`update`), the host adds them into the state in double precision, and `result()` reads the state. Every
/// Keras metric fits this (Mean: total and count; AUC: confusion counts per threshold; IoU: a confusion matrix).
class Metric {
 public:
  explicit Metric(std::string name);
  virtual ~Metric();
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  virtual nlohmann::json get_config() const;

  /// The batch's additions to each state variable, traced into the step graph (the graph half of Keras's
  /// update_state). `sample_weight` is an invalid Value when none is given.
  virtual std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const = 0;
  /// The metric's value from the accumulated state (0 before any update, as Keras's divide_no_nan gives).
  virtual double result() const = 0;

  /// Zeroes the state (Keras's reset_state).
  void reset_state();
  /// Keras's standalone update_state on concrete tensors: runs `update` through a program cached per shape.
  void update_state(const Tensor& y_true, const Tensor& y_pred, const std::optional<Tensor>& sample_weight = {});

  /// Sizes the state for `update`'s outputs (element counts, in order); keeps the state when they are unchanged.
  void bind_state(const std::vector<std::int64_t>& sizes);
  /// Adds one batch's additions, flattened in `update`'s order (as a step's outputs are read back).
  void accumulate(std::span<const float> additions);
  /// Elements of all state variables together.
  std::size_t state_size() const { return state_.size(); }

 protected:
  /// State variable i (of bind_state's order); empty before the metric has been traced.
  std::span<const double> state(std::size_t i) const;
  std::span<double> mutable_state(std::size_t i);

 private:
  struct EagerCache;
  std::string name_;
  std::vector<double> state_;
  std::vector<std::size_t> offsets_;  // state variable i is state_[offsets_[i], offsets_[i + 1])
  std::shared_ptr<EagerCache> eager_;
};

/// Keras's MeanMetricWrapper: the running mean of a function's per-sample values (weighted by sample_weight).
class MeanMetricWrapper : public Metric {
 public:
  using Metric::Metric;
  /// Per-sample values for a batch (shape (batch,) or more axes, which are averaged per sample).
  virtual Value call(Value y_true, Value y_pred) const = 0;
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  /// Sets the state to `count` samples averaging `result` (resuming an interrupted epoch).
  void restore(double result, double count);
};

/// The weighted mean of samplewise values as Keras's Mean.update_state computes it: {sum(values * w), sum(w)}
/// after averaging values over the axes past the weights' (reduce_to_samplewise_values).
std::vector<Value> mean_update(Value values, Value sample_weight);

/// A metric by Keras identifier ("accuracy", "mae", "auc", ...) or object.
class MetricArg {
 public:
  MetricArg(const char* identifier) : identifier_(identifier) {}
  MetricArg(std::string identifier) : identifier_(std::move(identifier)) {}
  MetricArg(std::shared_ptr<Metric> metric) : metric_(std::move(metric)) {}
  /// A metric object directly: `.metrics = {metrics::AUC({.num_thresholds = 500})}`.
  template <class M>
    requires std::derived_from<M, Metric>
  MetricArg(M metric) : metric_(std::make_shared<M>(std::move(metric))) {}
  const std::string& identifier() const { return identifier_; }
  const std::shared_ptr<Metric>& metric() const { return metric_; }

 private:
  std::string identifier_;
  std::shared_ptr<Metric> metric_;
};

namespace metrics {
/// Resolves an identifier as Keras's compile does. "accuracy"/"acc" picks binary, sparse categorical
/// or categorical accuracy from the loss and the shapes of y_true (per sample, batch excluded)
/// and y_pred. ValueError listing the valid identifiers if unknown.
std::shared_ptr<Metric> get(const std::string& identifier, const std::string& loss_name, const Shape& y_true_shape,
                            const Shape& y_pred_shape);
/// A metric from Keras's serialized form {"class_name": ..., "config": {...}}; `what` names the field for errors.
std::shared_ptr<Metric> from_config(const std::string& class_name, const nlohmann::json& config,
                                    const std::string& what);
}  // namespace metrics

}  // namespace strata
