#include <strata/layers/activation/activation.hpp>

namespace strata::layers {

Activation::Activation(ActivationFunction activation, ActivationOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)), activation_(std::move(activation)) {}

Value Activation::call(Value x, CallContext& ctx) { return activation_(x); }

nlohmann::json Activation::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["activation"] = activation_.name();
  return c;
}

}  // namespace strata::layers
