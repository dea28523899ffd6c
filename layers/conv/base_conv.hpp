#pragma once
// What every convolution layer shares (Keras's base_conv.py): argument checks, padding, data formats, and
// BaseConv, the body of Conv1D, Conv2D and Conv3D.
#include <strata/api/activations.hpp>
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

/// Keyword arguments of Conv1D, Conv2D and Conv3D.
struct ConvOptions {
  SpatialSize strides = 1;
  std::string padding = "valid";  // valid, same; causal for Conv1D
  std::string data_format = "channels_last";  // or channels_first
  SpatialSize dilation_rate = 1;
  std::int64_t groups = 1;
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
using Conv1DOptions = ConvOptions;
using Conv2DOptions = ConvOptions;
using Conv3DOptions = ConvOptions;

/// The spatial arguments of one convolution layer, standardized and checked as Keras's constructors do.
struct ConvGeometry {
  int rank = 2;
  std::vector<std::int64_t> kernel_size, strides, dilation_rate;
  std::string padding, data_format;

  /// Resolves int-or-tuple arguments to `rank` entries; ValueError (prefixed by `where`) on bad values.
  static ConvGeometry resolve(int rank, const SpatialSize& kernel_size, const SpatialSize& strides,
                              const SpatialSize& dilation_rate, const std::string& padding,
                              const std::string& data_format, const std::string& where, bool allow_causal);
  /// Keras's "`strides > 1` not supported in conjunction with `dilation_rate > 1`" check.
  void forbid_strides_with_dilation(const std::string& where) const;

  bool channels_first() const { return data_format == "channels_first"; }
  /// The channel count of an input; ShapeError when its rank is not rank + 2 or channels are unknown.
  std::int64_t input_channels(const Shape& input_shape, const std::string& where) const;
  /// Forward-convolution attributes for an input (padding resolved); ShapeError when the (dilated) kernel does
  /// not fit a "valid" input.
  ConvolutionAttrs attrs_for(const Shape& input_shape, const std::string& where) const;
  /// The bias shaped to broadcast along the channel axis ((F, 1, ...) for channels_first). Emit it before the
  /// convolution so the fusion pass can fold the add into it.
  Value channel_bias(Value bias) const;
  /// kernel_size, strides, padding, data_format, dilation_rate as Keras's get_config writes them.
  void write_config(nlohmann::json& config) const;
};

/// Conv1D, Conv2D, Conv3D: kernel (k..., in / groups, filters), bias (filters,).
class BaseConv : public Layer {
 public:
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;

  Variable* kernel() const { return kernel_; }
  Variable* bias() const { return bias_; }
  std::int64_t filters() const { return filters_; }
  const ConvGeometry& geometry() const { return geometry_; }

 protected:
  BaseConv(int rank, std::int64_t filters, SpatialSize kernel_size, ConvOptions options);
  /// Checks the arguments; each concrete class calls it from its constructor (where() needs class_name()).
  void init();
  template <class L>
  static std::shared_ptr<L> from_config_as(const nlohmann::json& config, const char* class_name);

 private:
  int rank_;
  std::int64_t filters_;
  SpatialSize kernel_size_arg_;
  ConvOptions options_;
  ConvGeometry geometry_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
};

template <class L>
std::shared_ptr<L> BaseConv::from_config_as(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  c.require_unset({"lora_rank", "quantization_config"}, "strata does not support LoRA or quantized convolutions");
  auto layer = std::make_shared<L>(
      c.get_int("filters"), c.get_spatial("kernel_size"),
      ConvOptions{.strides = c.get_spatial("strides", 1),
                  .padding = c.get_string("padding", "valid"),
                  .data_format = c.get_string("data_format", "channels_last"),
                  .dilation_rate = c.get_spatial("dilation_rate", 1),
                  .groups = c.get_int("groups", 1),
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
