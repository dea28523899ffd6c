#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct InputLayerOptions {
  std::int64_t batch_size = -1;
  DType dtype = DType::float32;
  std::string name;
};

/// The layer behind Input(): holds the model input's shape and dtype; its call is the identity.
class InputLayer : public Layer {
 public:
  STRATA_LAYER(InputLayer)
  using Options = InputLayerOptions;
  explicit InputLayer(Shape shape, Options options = {});

  /// Full shape with the batch dim (-1 when unknown): Keras's batch_shape.
  const Shape& batch_shape() const { return batch_shape_; }
  DType dtype() const { return dtype_; }
  Value call(Value x, CallContext& ctx) override { return x; }
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<InputLayer> from_config(const nlohmann::json& config);

 private:
  Shape batch_shape_;
  DType dtype_;
};

}  // namespace strata::layers
