#pragma once
#include <strata/api/activations.hpp>
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct DenseOptions {
  ActivationFunction activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  std::optional<Regularizer> kernel_regularizer;
  std::optional<Regularizer> bias_regularizer;
  std::optional<Regularizer> activity_regularizer;
  std::optional<Constraint> kernel_constraint;
  std::optional<Constraint> bias_constraint;
  std::string name;
  Shape input_shape;
};

/// keras.layers.Dense: activation(x · kernel + bias) over the last axis; kernel (in, units), bias (units,).
class Dense : public Layer {
 public:
  STRATA_LAYER(Dense)
  explicit Dense(std::int64_t units, DenseOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Dense> from_config(const nlohmann::json& config);

  std::int64_t units() const { return units_; }
  Variable* kernel() const { return kernel_; }
  Variable* bias() const { return bias_; }

 private:
  std::int64_t units_;
  DenseOptions options_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

}  // namespace strata::layers
