#include <strata/layers/activation/elu.hpp>

#include <strata/api/activations.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

ELU::ELU(ELUOptions options) : Layer(options.name, options.input_shape), options_(std::move(options)) {}

Value ELU::call(Value x, CallContext& ctx) { return activations::elu(x, static_cast<float>(options_.alpha)); }

nlohmann::json ELU::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["alpha"] = options_.alpha;
  return c;
}

std::shared_ptr<ELU> ELU::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "ELU");
  auto layer = std::make_shared<ELU>(
      ELUOptions{.alpha = c.get_double("alpha", 1.0), .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
