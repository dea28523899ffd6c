#pragma once
#include <strata/api/layer.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

struct Pooling2DOptions {
  SpatialSize strides;  // not given: pool_size
  std::string padding = "valid";  // valid, same
  std::string data_format = "channels_last";
  std::string name;
  Shape input_shape;
};

/// What MaxPooling2D and AveragePooling2D share (Keras's BasePooling): argument checks, padding,
/// config. Input (batch, h, w, c).
class Pooling2D : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

 protected:
  Pooling2D(PoolingKind kind, SpatialSize pool_size, Pooling2DOptions options);

 private:
  PoolingAttrs attrs_for(const Shape& input_shape) const;
  PoolingKind kind_;
  std::vector<std::int64_t> pool_size_, strides_;
  std::string padding_, data_format_;
};

}  // namespace strata::layers
