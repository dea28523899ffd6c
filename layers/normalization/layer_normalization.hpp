#pragma once
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct LayerNormalizationOptions {
  std::vector<int> axis = {-1};  // the axes normalized over (per sample)
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  /// Keras 3's (deprecated) rms_scaling: x * rsqrt(variance + epsilon) * gamma, no beta.
  bool rms_scaling = false;
  Initializer beta_initializer = "zeros";
  Initializer gamma_initializer = "ones";
  std::optional<Regularizer> beta_regularizer;
  std::optional<Regularizer> gamma_regularizer;
  std::optional<Constraint> beta_constraint;
  std::optional<Constraint> gamma_constraint;
  std::string name;
  Shape input_shape;
};

/// keras.layers.LayerNormalization: (x - mean) / sqrt(variance + epsilon) * gamma + beta, statistics over
/// `axis` of each sample. The last axis alone runs oneDNN's layer normalization; other axes are composed.
/// Weights: gamma (if scale or rms_scaling), beta (if center and not rms_scaling), shaped like the axes.
class LayerNormalization : public Layer {
 public:
  STRATA_LAYER(LayerNormalization)
  explicit LayerNormalization(LayerNormalizationOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<LayerNormalization> from_config(const nlohmann::json& config);

 private:
  LayerNormalizationOptions options_;
  bool axis_is_list_ = false;
  std::vector<int> axes_;  // sorted and non-negative once built
  Variable* gamma_ = nullptr;
  Variable* beta_ = nullptr;
};

}  // namespace strata::layers
