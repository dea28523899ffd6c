#pragma once
#include <strata/api/activations.hpp>
#include <strata/api/layer.hpp>

namespace strata::layers {

struct ActivationOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.Activation: applies an activation function by name.
class Activation : public Layer {
 public:
  STRATA_LAYER(Activation)
  explicit Activation(ActivationFunction activation, ActivationOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Activation> from_config(const nlohmann::json& config);

 private:
  ActivationFunction activation_;
};

}  // namespace strata::layers
