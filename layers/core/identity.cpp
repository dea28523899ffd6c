#include <strata/layers/core/identity.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

std::shared_ptr<Identity> Identity::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Identity");
  auto layer = std::make_shared<Identity>(IdentityOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
