#pragma once
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

struct ReLUOptions {
  std::optional<double> max_value;  // none: unbounded
  double negative_slope = 0.0;
  double threshold = 0.0;
  std::string name;
  Shape input_shape;
};

/// keras.layers.ReLU: x above threshold (else 0), clipped at max_value, minus negative_slope * relu(threshold - x).
class ReLU : public Layer {
 public:
  STRATA_LAYER(ReLU)
  explicit ReLU(ReLUOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<ReLU> from_config(const nlohmann::json& config);

 private:
  ReLUOptions options_;
};

}  // namespace strata::layers
