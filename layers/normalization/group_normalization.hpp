#pragma once
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct GroupNormalizationOptions {
  int axis = -1;  // the channel axis, split into `groups`
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  Initializer beta_initializer = "zeros";
  Initializer gamma_initializer = "ones";
  std::optional<Regularizer> beta_regularizer;
  std::optional<Regularizer> gamma_regularizer;
  std::optional<Constraint> beta_constraint;
  std::optional<Constraint> gamma_constraint;
  std::string name;
  Shape input_shape;
};

/// keras.layers.GroupNormalization: the channels are split into `groups` (-1: one per channel, instance
/// normalization) and each group of each sample is normalized over its channels and every other non-batch axis.
/// Weights: gamma, beta of shape (channels,).
class GroupNormalization : public Layer {
 public:
  STRATA_LAYER(GroupNormalization)
  explicit GroupNormalization(int groups = 32, GroupNormalizationOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<GroupNormalization> from_config(const nlohmann::json& config);

 private:
  int groups_;
  GroupNormalizationOptions options_;
  int axis_ = -1;  // non-negative once built
  Variable* gamma_ = nullptr;
  Variable* beta_ = nullptr;
};

}  // namespace strata::layers
