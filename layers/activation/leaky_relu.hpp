#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct LeakyReLUOptions {
  double negative_slope = 0.3;  // Keras 3's default (the activation function's is 0.2)
  std::string name;
  Shape input_shape;
};

/// keras.layers.LeakyReLU: x if x > 0 else negative_slope * x.
class LeakyReLU : public Layer {
 public:
  STRATA_LAYER(LeakyReLU)
  explicit LeakyReLU(LeakyReLUOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config; Keras 2's `alpha` is read as negative_slope.
  static std::shared_ptr<LeakyReLU> from_config(const nlohmann::json& config);

 private:
  LeakyReLUOptions options_;
};

}  // namespace strata::layers
