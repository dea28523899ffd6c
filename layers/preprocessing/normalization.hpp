#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct NormalizationOptions {
  /// Axes kept (one mean and variance per position along them); empty is Keras's axis=None (one scalar).
  std::vector<int> axis = {-1};
  /// Given together or not at all: one value (broadcast), one per position of the last kept axis, or one per
  /// position of all kept axes (row-major). Not given: the layer has weights mean, variance, count for adapt().
  std::vector<double> mean, variance;
  bool invert = false;
  std::string name;
  Shape input_shape;
};

/// keras.layers.Normalization: (x - mean) / max(sqrt(variance), 1e-7), or its inverse with `invert`. Without
/// mean/variance the layer holds non-trainable weights mean, variance (the kept axes' shape) and count (int64
/// scalar), Keras's layout, which `adapt()` sets from data.
class Normalization : public Layer {
 public:
  STRATA_LAYER(Normalization)
  explicit Normalization(NormalizationOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Normalization> from_config(const nlohmann::json& config);

  /// Keras's adapt: mean and population variance over every axis but the kept ones, of one tensor (batch first).
  void adapt(const Tensor& data);
  /// Over a sequence of batches, merged as Keras merges them (weighted by each batch's element count).
  void adapt(const std::vector<Tensor>& batches);

  /// The current mean and variance in the kept axes' shape (adapted or given).
  Tensor mean() const;
  Tensor variance() const;

 private:
  void check_adaptable(const Shape& data_shape);
  NormalizationOptions options_;
  Shape build_shape_;
  std::vector<int> keep_axis_;   // sorted, non-negative
  Shape broadcast_shape_;        // the input's rank: kept dims, 1 elsewhere
  Shape mean_and_var_shape_;     // the kept dims
  Tensor given_mean_, given_variance_;  // broadcast_shape_, when mean/variance are given
  Variable* adapt_mean_ = nullptr;
  Variable* adapt_variance_ = nullptr;
  Variable* count_ = nullptr;
};

}  // namespace strata::layers
