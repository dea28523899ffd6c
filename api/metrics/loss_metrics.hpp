#pragma once
// Losses used as metrics (keras.metrics.MeanSquaredError, BinaryCrossentropy, ...): the running mean of
// the loss function's per-sample values.
#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

struct MeanSquaredErrorOptions {
  std::string name = "mean_squared_error";
};
class MeanSquaredError : public MeanMetricWrapper {
 public:
  explicit MeanSquaredError(MeanSquaredErrorOptions options = {}) : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "MeanSquaredError"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
};

struct MeanAbsoluteErrorOptions {
  std::string name = "mean_absolute_error";
};
class MeanAbsoluteError : public MeanMetricWrapper {
 public:
  explicit MeanAbsoluteError(MeanAbsoluteErrorOptions options = {}) : MeanMetricWrapper(std::move(options.name)) {}
  std::string class_name() const override { return "MeanAbsoluteError"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
};

struct BinaryCrossentropyOptions {
  std::string name = "binary_crossentropy";
  bool from_logits = false;
  double label_smoothing = 0.0;
};
class BinaryCrossentropy : public MeanMetricWrapper {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {})
      : MeanMetricWrapper(options.name), options_(std::move(options)) {}
  std::string class_name() const override { return "BinaryCrossentropy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  BinaryCrossentropyOptions options_;
};

struct CategoricalCrossentropyOptions {
  std::string name = "categorical_crossentropy";
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
};
class CategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {})
      : MeanMetricWrapper(options.name), options_(std::move(options)) {}
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  CategoricalCrossentropyOptions options_;
};

struct SparseCategoricalCrossentropyOptions {
  std::string name = "sparse_categorical_crossentropy";
  bool from_logits = false;
};
class SparseCategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {})
      : MeanMetricWrapper(options.name), options_(std::move(options)) {}
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  Value call(Value y_true, Value y_pred) const override;
  nlohmann::json get_config() const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace strata::metrics
