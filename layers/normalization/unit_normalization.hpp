#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct UnitNormalizationOptions {
  std::vector<int> axis = {-1};
  std::string name;
  Shape input_shape;
};

/// keras.layers.UnitNormalization: x * min(rsqrt(sum(x^2 over axis)), 1e12), so each slice has L2 norm 1.
class UnitNormalization : public Layer {
 public:
  STRATA_LAYER(UnitNormalization)
  explicit UnitNormalization(UnitNormalizationOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<UnitNormalization> from_config(const nlohmann::json& config);

 private:
  UnitNormalizationOptions options_;
  bool axis_is_list_ = false;
};

}  // namespace strata::layers
