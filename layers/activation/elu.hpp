#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct ELUOptions {
  double alpha = 1.0;
  std::string name;
  Shape input_shape;
};

/// keras.layers.ELU: x if x > 0 else alpha * (exp(x) - 1).
class ELU : public Layer {
 public:
  STRATA_LAYER(ELU)
  explicit ELU(ELUOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<ELU> from_config(const nlohmann::json& config);

 private:
  ELUOptions options_;
};

}  // namespace strata::layers
