#pragma once
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct BatchNormalizationOptions {
  int axis = -1;  // the channel axis (1 for channels_first data)
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  Initializer beta_initializer = "zeros";
  Initializer gamma_initializer = "ones";
  Initializer moving_mean_initializer = "zeros";
  Initializer moving_variance_initializer = "ones";
  std::optional<Regularizer> beta_regularizer;
  std::optional<Regularizer> gamma_regularizer;
  std::optional<Constraint> beta_constraint;
  std::optional<Constraint> gamma_constraint;
  std::string name;
  Shape input_shape;
};

/// keras.layers.BatchNormalization over every axis but `axis` (inputs of rank 2 to 5). Training (training=true and trainable): batch
/// statistics, and moving_mean/moving_variance move toward them by (1 - momentum); otherwise the moving
/// statistics. Weights: gamma, beta (trainable, if scale/center), moving_mean, moving_variance.
class BatchNormalization : public Layer {
 public:
  STRATA_LAYER(BatchNormalization)
  explicit BatchNormalization(BatchNormalizationOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<BatchNormalization> from_config(const nlohmann::json& config);

 private:
  BatchNormalizationOptions options_;
  Variable* gamma_ = nullptr;
  Variable* beta_ = nullptr;
  Variable* moving_mean_ = nullptr;
  Variable* moving_variance_ = nullptr;
  int axis_ = -1;  // options_.axis, non-negative once built
};

}  // namespace strata::layers
