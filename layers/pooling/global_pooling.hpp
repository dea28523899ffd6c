#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct GlobalPoolingOptions {
  std::string data_format = "channels_last";  // or channels_first: (batch, channels, spatial...)
  bool keepdims = false;  // keep the pooled spatial dims as 1s
  std::string name;
  Shape input_shape;
};
using GlobalPooling1DOptions = GlobalPoolingOptions;
using GlobalPooling2DOptions = GlobalPoolingOptions;
using GlobalPooling3DOptions = GlobalPoolingOptions;
using GlobalAveragePooling2DOptions = GlobalPoolingOptions;

/// What GlobalMax/AveragePooling1D/2D/3D share (Keras's BaseGlobalPooling): a max or mean over every spatial
/// dim, (batch, spatial..., channels) -> (batch, channels), or (batch, 1..., channels) with keepdims.
class GlobalPooling : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

 protected:
  GlobalPooling(std::size_t rank, ReduceKind kind, GlobalPoolingOptions options, const char* class_name);
  /// Reads the config (any Keras 2 or 3 dialect) and builds L.
  template <class L>
  static std::shared_ptr<L> global_pooling_from_config(const nlohmann::json& config, const char* class_name);

 private:
  std::size_t rank_;
  ReduceKind kind_;
  std::string data_format_;
  bool keepdims_;
};

GlobalPoolingOptions read_global_pooling_config(const nlohmann::json& config, const char* class_name);
void apply_global_pooling_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> GlobalPooling::global_pooling_from_config(const nlohmann::json& config, const char* class_name) {
  auto layer = std::make_shared<L>(read_global_pooling_config(config, class_name));
  apply_global_pooling_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
