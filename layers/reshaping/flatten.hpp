#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct FlattenOptions {
  std::string data_format = "channels_last";  // channels_first flattens in (C, spatial...) order, as Keras
  std::string name;
  Shape input_shape;
};

/// keras.layers.Flatten: (batch, d1, d2, ...) -> (batch, d1*d2*...).
class Flatten : public Layer {
 public:
  STRATA_LAYER(Flatten)
  explicit Flatten(FlattenOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Flatten> from_config(const nlohmann::json& config);

 private:
  std::string data_format_;
};

}  // namespace strata::layers
