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

 private:
  ActivationFunction activation_;
};

}  // namespace strata::layers
