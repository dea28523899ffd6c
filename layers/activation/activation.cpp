#include <strata/layers/activation/activation.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Activation::Activation(ActivationFunction activation, ActivationOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)), activation_(std::move(activation)) {}

Value Activation::call(Value x, CallContext& ctx) { return activation_(x); }

nlohmann::json Activation::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["activation"] = activation_.name();
  return c;
}

std::shared_ptr<Activation> Activation::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Activation");
  auto layer = std::make_shared<Activation>(c.get_activation("activation"),
                                            ActivationOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
