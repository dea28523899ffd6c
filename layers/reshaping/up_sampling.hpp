#pragma once
#include <strata/api/layer.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

struct UpSamplingOptions {
  std::string data_format = "channels_last";  // UpSampling2D/3D: or (batch, channels, spatial...)
  std::string interpolation = "nearest";      // UpSampling2D: nearest or bilinear
  std::string name;
  Shape input_shape;
};
using UpSampling1DOptions = UpSamplingOptions;
using UpSampling2DOptions = UpSamplingOptions;
using UpSampling3DOptions = UpSamplingOptions;

/// What UpSampling1D/2D/3D share: each spatial dim scaled by an integer factor, by repetition (nearest, as
/// Keras's ops.repeat) or bilinear interpolation (half-pixel centers, as jax.image.resize), both oneDNN resampling.
class UpSampling : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

 protected:
  UpSampling(std::size_t rank, SpatialSize size, UpSamplingOptions options, const char* class_name);
  template <class L>
  static std::shared_ptr<L> up_sampling_from_config(const nlohmann::json& config, const char* class_name);

 private:
  std::size_t rank_;
  std::vector<std::int64_t> size_;
  std::string data_format_, interpolation_;
};

SpatialSize read_up_sampling_config(const nlohmann::json& config, const char* class_name, UpSamplingOptions& options);
void apply_up_sampling_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> UpSampling::up_sampling_from_config(const nlohmann::json& config, const char* class_name) {
  UpSamplingOptions options;
  SpatialSize size = read_up_sampling_config(config, class_name, options);
  auto layer = std::make_shared<L>(std::move(size), std::move(options));
  apply_up_sampling_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
