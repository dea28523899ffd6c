#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct IdentityOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.Identity: returns its input unchanged, where a model wants a layer that does nothing.
class Identity : public Layer {
 public:
  STRATA_LAYER(Identity)
  explicit Identity(IdentityOptions options = {}) : Layer(std::move(options.name), std::move(options.input_shape)) {}
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override { return x; }
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Identity> from_config(const nlohmann::json& config);
};

}  // namespace strata::layers
