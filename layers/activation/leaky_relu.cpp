#include <strata/layers/activation/leaky_relu.hpp>

#include <strata/api/activations.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

LeakyReLU::LeakyReLU(LeakyReLUOptions options) : Layer(options.name, options.input_shape), options_(std::move(options)) {
  if (!(options_.negative_slope >= 0.0))
    throw ValueError(where() + "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                     "Expected a float. Received: negative_slope=" + std::to_string(options_.negative_slope));
}

Value LeakyReLU::call(Value x, CallContext& ctx) {
  return activations::leaky_relu(x, static_cast<float>(options_.negative_slope));
}

nlohmann::json LeakyReLU::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["negative_slope"] = options_.negative_slope;
  return c;
}

std::shared_ptr<LeakyReLU> LeakyReLU::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "LeakyReLU");
  double slope = c.has("negative_slope") ? c.get_double("negative_slope") : c.get_double("alpha", 0.3);
  auto layer = std::make_shared<LeakyReLU>(
      LeakyReLUOptions{.negative_slope = slope, .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
