#pragma once
#include <strata/api/activations.hpp>
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

struct Conv2DOptions {
  SpatialSize strides = 1;
  std::string padding = "valid";  // valid, same
  std::string data_format = "channels_last";
  SpatialSize dilation_rate = 1;
  std::int64_t groups = 1;
  ActivationFunction activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  std::string name;
  Shape input_shape;
};

/// keras.layers.Conv2D over channels_last input (batch, h, w, c); kernel (kh, kw, c / groups, filters).
class Conv2D : public Layer {
 public:
  STRATA_LAYER(Conv2D)
  Conv2D(std::int64_t filters, SpatialSize kernel_size, Conv2DOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Conv2D> from_config(const nlohmann::json& config);

  Variable* kernel() const { return kernel_; }
  Variable* bias() const { return bias_; }

 private:
  /// The op attributes (padding resolved) for an input of this shape; ShapeError if it does not fit.
  ConvolutionAttrs attrs_for(const Shape& input_shape) const;

  std::int64_t filters_;
  std::vector<std::int64_t> kernel_size_, strides_, dilation_rate_;
  Conv2DOptions options_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

}  // namespace strata::layers
