#pragma once
// DepthwiseConv1D, DepthwiseConv2D (Keras's base_depthwise_conv.py).
#include <strata/layers/conv/base_conv.hpp>

namespace strata::layers {

/// Keyword arguments of DepthwiseConv1D and DepthwiseConv2D.
struct DepthwiseConvOptions {
  std::int64_t depth_multiplier = 1;
  SpatialSize strides = 1;
  std::string padding = "valid";  // valid, same
  std::string data_format = "channels_last";
  SpatialSize dilation_rate = 1;
  ActivationFunction activation = "linear";
  bool use_bias = true;
  Initializer depthwise_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  std::optional<Regularizer> depthwise_regularizer;
  std::optional<Regularizer> bias_regularizer;
  std::optional<Regularizer> activity_regularizer;
  std::optional<Constraint> depthwise_constraint;
  std::optional<Constraint> bias_constraint;
  std::string name;
  Shape input_shape;
};
using DepthwiseConv1DOptions = DepthwiseConvOptions;
using DepthwiseConv2DOptions = DepthwiseConvOptions;

/// A depthwise convolution: x with a Keras depthwise kernel (k..., in, depth_multiplier) is one grouped
/// convolution (groups = in) with the kernel viewed as (k..., 1, in * depth_multiplier); output channel
/// c * depth_multiplier + m comes from input channel c, as in Keras.
Value depthwise_convolution(Value x, Value depthwise_kernel, ConvolutionAttrs attrs);

/// Each input channel convolved with its own depth_multiplier filters: kernel (k..., in, depth_multiplier),
/// bias (in * depth_multiplier,).
class BaseDepthwiseConv : public Layer {
 public:
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

  Variable* kernel() const { return kernel_; }
  Variable* bias() const { return bias_; }

 protected:
  BaseDepthwiseConv(int rank, SpatialSize kernel_size, DepthwiseConvOptions options);
  /// Checks the arguments; each concrete class calls it from its constructor (where() needs class_name()).
  void init();
  template <class L>
  static std::shared_ptr<L> from_config_as(const nlohmann::json& config, const char* class_name);

 private:
  int rank_;
  SpatialSize kernel_size_arg_;
  DepthwiseConvOptions options_;
  ConvGeometry geometry_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

template <class L>
std::shared_ptr<L> BaseDepthwiseConv::from_config_as(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  auto layer = std::make_shared<L>(
      c.get_spatial("kernel_size"),
      DepthwiseConvOptions{.depth_multiplier = c.get_int("depth_multiplier", 1),
                           .strides = c.get_spatial("strides", 1),
                           .padding = c.get_string("padding", "valid"),
                           .data_format = c.get_string("data_format", "channels_last"),
                           .dilation_rate = c.get_spatial("dilation_rate", 1),
                           .activation = c.get_activation("activation"),
                           .use_bias = c.get_bool("use_bias", true),
                           .depthwise_initializer = c.get_initializer("depthwise_initializer", "glorot_uniform"),
                           .bias_initializer = c.get_initializer("bias_initializer", "zeros"),
                           .depthwise_regularizer = c.get_regularizer("depthwise_regularizer"),
                           .bias_regularizer = c.get_regularizer("bias_regularizer"),
                           .activity_regularizer = c.get_regularizer("activity_regularizer"),
                           .depthwise_constraint = c.get_constraint("depthwise_constraint"),
                           .bias_constraint = c.get_constraint("bias_constraint"),
                           .name = c.name(),
                           .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
