#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct GlobalAveragePooling2DOptions {
  std::string data_format = "channels_last";
  bool keepdims = false;
  std::string name;
  Shape input_shape;
};

/// keras.layers.GlobalAveragePooling2D: (batch, h, w, c) -> (batch, c), or (batch, 1, 1, c) with keepdims.
class GlobalAveragePooling2D : public Layer {
 public:
  STRATA_LAYER(GlobalAveragePooling2D)
  explicit GlobalAveragePooling2D(GlobalAveragePooling2DOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<GlobalAveragePooling2D> from_config(const nlohmann::json& config);

 private:
  std::string data_format_;
  bool keepdims_;
};

}  // namespace strata::layers
