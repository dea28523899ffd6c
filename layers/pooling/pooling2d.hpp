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
/// Reads a pooling layer's config into `options`; returns pool_size (pooling2d.cpp).
SpatialSize read_pooling_config(const nlohmann::json& config, const char* class_name, Pooling2DOptions& options);
/// Applies the base keys (trainable, dtype) of a config to a layer (pooling2d.cpp).
void apply_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

class Pooling2D : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

 protected:
  Pooling2D(PoolingKind kind, SpatialSize pool_size, Pooling2DOptions options);
  /// What MaxPooling2D::from_config and AveragePooling2D::from_config share: reads the config, builds L.
  template <class L>
  static std::shared_ptr<L> pooling_from_config(const nlohmann::json& config, const char* class_name);

 private:
  PoolingAttrs attrs_for(const Shape& input_shape) const;
  PoolingKind kind_;
  std::vector<std::int64_t> pool_size_, strides_;
  std::string padding_, data_format_;
};

template <class L>
std::shared_ptr<L> Pooling2D::pooling_from_config(const nlohmann::json& config, const char* class_name) {
  Pooling2DOptions options;
  SpatialSize pool_size = read_pooling_config(config, class_name, options);
  auto layer = std::make_shared<L>(std::move(pool_size), std::move(options));
  apply_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
