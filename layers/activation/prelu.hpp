#pragma once
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct PReLUOptions {
  Initializer alpha_initializer = "zeros";
  /// Axes (1-based, counting the batch axis as 0) along which alpha is shared: its size there is 1.
  std::vector<int> shared_axes;
  std::optional<Regularizer> alpha_regularizer;
  std::optional<Constraint> alpha_constraint;
  std::string name;
  Shape input_shape;
};

/// keras.layers.PReLU: relu(x) - alpha * relu(-x) with a learned alpha of shape input_shape[1:] (1 on shared axes).
class PReLU : public Layer {
 public:
  STRATA_LAYER(PReLU)
  explicit PReLU(PReLUOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<PReLU> from_config(const nlohmann::json& config);

  Variable* alpha() const { return alpha_; }

 private:
  PReLUOptions options_;
  Variable* alpha_ = nullptr;
};

}  // namespace strata::layers
