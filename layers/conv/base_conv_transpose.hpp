#pragma once
// Conv1DTranspose, Conv2DTranspose, Conv3DTranspose (Keras's base_conv_transpose.py).
#include <strata/layers/conv/base_conv.hpp>

namespace strata::layers {

/// Keyword arguments of Conv1DTranspose, Conv2DTranspose and Conv3DTranspose.
struct ConvTransposeOptions {
  SpatialSize strides = 1;
  std::string padding = "valid";  // valid, same
  SpatialSize output_padding;     // not given = Keras's None; each entry must be < its stride
  std::string data_format = "channels_last";
  SpatialSize dilation_rate = 1;
  ActivationFunction activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  std::optional<Regularizer> kernel_regularizer;
  std::optional<Regularizer> bias_regularizer;
  std::optional<Regularizer> activity_regularizer;
  std::optional<Constraint> kernel_constraint;
  std::optional<Constraint> bias_constraint;
  std::string name;
  Shape input_shape;
};
using Conv1DTransposeOptions = ConvTransposeOptions;
using Conv2DTransposeOptions = ConvTransposeOptions;
using Conv3DTransposeOptions = ConvTransposeOptions;

/// The input gradient of a convolution as a layer: kernel (k..., filters, in) — filters before in — and bias
/// (filters,). Output length per dim: keras deconv_output_length, e.g. in * stride for "same" without
/// output_padding.
class BaseConvTranspose : public Layer {
 public:
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

  Variable* kernel() const { return kernel_; }
  Variable* bias() const { return bias_; }

 protected:
  BaseConvTranspose(int rank, std::int64_t filters, SpatialSize kernel_size, ConvTransposeOptions options);
  /// Checks the arguments; each concrete class calls it from its constructor (where() needs class_name()).
  void init();
  template <class L>
  static std::shared_ptr<L> from_config_as(const nlohmann::json& config, const char* class_name);

 private:
  ops::ConvTransposeSpec spec_for(const Shape& input_shape) const;

  int rank_;
  std::int64_t filters_;
  SpatialSize kernel_size_arg_;
  ConvTransposeOptions options_;
  ConvGeometry geometry_;
  std::vector<std::int64_t> output_padding_;  // empty = None
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

template <class L>
std::shared_ptr<L> BaseConvTranspose::from_config_as(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  auto layer = std::make_shared<L>(
      c.get_int("filters"), c.get_spatial("kernel_size"),
      ConvTransposeOptions{.strides = c.get_spatial("strides", 1),
                           .padding = c.get_string("padding", "valid"),
                           .output_padding = c.get_spatial("output_padding", SpatialSize()),
                           .data_format = c.get_string("data_format", "channels_last"),
                           .dilation_rate = c.get_spatial("dilation_rate", 1),
                           .activation = c.get_activation("activation"),
                           .use_bias = c.get_bool("use_bias", true),
                           .kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform"),
                           .bias_initializer = c.get_initializer("bias_initializer", "zeros"),
                           .kernel_regularizer = c.get_regularizer("kernel_regularizer"),
                           .bias_regularizer = c.get_regularizer("bias_regularizer"),
                           .activity_regularizer = c.get_regularizer("activity_regularizer"),
                           .kernel_constraint = c.get_constraint("kernel_constraint"),
                           .bias_constraint = c.get_constraint("bias_constraint"),
                           .name = c.name(),
                           .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
