#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct RescalingOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.Rescaling: inputs * scale + offset. `scale` and `offset` are one value each or one value per
/// channel (the last axis), as Keras broadcasts them.
class Rescaling : public Layer {
 public:
  STRATA_LAYER(Rescaling)
  explicit Rescaling(double scale, double offset = 0.0, RescalingOptions options = {});
  Rescaling(std::vector<double> scale, std::vector<double> offset, RescalingOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Rescaling> from_config(const nlohmann::json& config);

  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& offset() const { return offset_; }

 private:
  std::vector<double> scale_, offset_;  // one value: a scalar
  bool scale_is_list_ = false, offset_is_list_ = false;
};

}  // namespace strata::layers
