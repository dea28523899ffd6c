#pragma once
#include <strata/api/layer.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

struct PoolingOptions {
  SpatialSize strides;  // not given: pool_size
  std::string padding = "valid";  // valid, same
  std::string data_format = "channels_last";  // or channels_first: (batch, channels, spatial...)
  std::string name;
  Shape input_shape;
};
using Pooling1DOptions = PoolingOptions;
using Pooling2DOptions = PoolingOptions;
using Pooling3DOptions = PoolingOptions;

/// Keras's "data_format" check, shared by every layer that takes one: ValueError worded as Keras.
std::string check_data_format(const std::string& where, const std::string& data_format);

/// What MaxPooling1D/2D/3D and AveragePooling1D/2D/3D share (Keras's BasePooling): argument checks,
/// padding, config. Input (batch, spatial..., channels), or (batch, channels, spatial...) for channels_first.
class Pooling : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

 protected:
  /// `class_name` names the layer in errors (virtual class_name() is not available in a base constructor).
  Pooling(std::size_t rank, PoolingKind kind, SpatialSize pool_size, PoolingOptions options, const char* class_name);
  /// What every subclass's from_config shares: reads the config (any Keras 2 or 3 dialect), builds L.
  template <class L>
  static std::shared_ptr<L> pooling_from_config(const nlohmann::json& config, const char* class_name);

 private:
  PoolingAttrs attrs_for(const Shape& input_shape) const;
  std::size_t rank_;
  PoolingKind kind_;
  std::vector<std::int64_t> pool_size_, strides_;
  std::string padding_, data_format_;
};

/// Reads a pooling layer's config into `options`; returns pool_size (pooling.cpp).
SpatialSize read_pooling_config(const nlohmann::json& config, const char* class_name, PoolingOptions& options);
/// Applies the base keys (trainable, dtype) of a config to a layer (pooling.cpp).
void apply_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> Pooling::pooling_from_config(const nlohmann::json& config, const char* class_name) {
  PoolingOptions options;
  SpatialSize pool_size = read_pooling_config(config, class_name, options);
  auto layer = std::make_shared<L>(std::move(pool_size), std::move(options));
  apply_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
