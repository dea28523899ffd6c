#pragma once
// SeparableConv1D, SeparableConv2D (Keras's base_separable_conv.py).
#include <strata/layers/conv/base_depthwise_conv.hpp>

namespace strata::layers {

/// Keyword arguments of SeparableConv1D and SeparableConv2D.
struct SeparableConvOptions {
  SpatialSize strides = 1;
  std::string padding = "valid";  // valid, same
  std::string data_format = "channels_last";
  SpatialSize dilation_rate = 1;
  std::int64_t depth_multiplier = 1;
  ActivationFunction activation = "linear";
  bool use_bias = true;
  Initializer depthwise_initializer = "glorot_uniform";
  Initializer pointwise_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  std::optional<Regularizer> depthwise_regularizer;
  std::optional<Regularizer> pointwise_regularizer;
  std::optional<Regularizer> bias_regularizer;
  std::optional<Regularizer> activity_regularizer;
  std::optional<Constraint> depthwise_constraint;
  std::optional<Constraint> pointwise_constraint;
  std::optional<Constraint> bias_constraint;
  std::string name;
  Shape input_shape;
};
using SeparableConv1DOptions = SeparableConvOptions;
using SeparableConv2DOptions = SeparableConvOptions;

/// A depthwise convolution (strides, padding, dilation) then a 1x1 convolution: weights depthwise_kernel
/// (k..., in, depth_multiplier), pointwise_kernel (1..., in * depth_multiplier, filters), bias (filters,).
class BaseSeparableConv : public Layer {
 public:
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

  Variable* depthwise_kernel() const { return depthwise_kernel_; }
  Variable* pointwise_kernel() const { return pointwise_kernel_; }
  Variable* bias() const { return bias_; }

 protected:
  BaseSeparableConv(int rank, std::int64_t filters, SpatialSize kernel_size, SeparableConvOptions options);
  /// Checks the arguments; each concrete class calls it from its constructor (where() needs class_name()).
  void init();
  template <class L>
  static std::shared_ptr<L> from_config_as(const nlohmann::json& config, const char* class_name);

 private:
  int rank_;
  std::int64_t filters_;
  SpatialSize kernel_size_arg_;
  SeparableConvOptions options_;
  ConvGeometry geometry_;
  Variable* depthwise_kernel_ = nullptr;
  Variable* pointwise_kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

template <class L>
std::shared_ptr<L> BaseSeparableConv::from_config_as(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  auto layer = std::make_shared<L>(
      c.get_int("filters"), c.get_spatial("kernel_size"),
      SeparableConvOptions{.strides = c.get_spatial("strides", 1),
                           .padding = c.get_string("padding", "valid"),
                           .data_format = c.get_string("data_format", "channels_last"),
                           .dilation_rate = c.get_spatial("dilation_rate", 1),
                           .depth_multiplier = c.get_int("depth_multiplier", 1),
                           .activation = c.get_activation("activation"),
                           .use_bias = c.get_bool("use_bias", true),
                           .depthwise_initializer = c.get_initializer("depthwise_initializer", "glorot_uniform"),
                           .pointwise_initializer = c.get_initializer("pointwise_initializer", "glorot_uniform"),
                           .bias_initializer = c.get_initializer("bias_initializer", "zeros"),
                           .depthwise_regularizer = c.get_regularizer("depthwise_regularizer"),
                           .pointwise_regularizer = c.get_regularizer("pointwise_regularizer"),
                           .bias_regularizer = c.get_regularizer("bias_regularizer"),
                           .activity_regularizer = c.get_regularizer("activity_regularizer"),
                           .depthwise_constraint = c.get_constraint("depthwise_constraint"),
                           .pointwise_constraint = c.get_constraint("pointwise_constraint"),
                           .bias_constraint = c.get_constraint("bias_constraint"),
                           .name = c.name(),
                           .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
