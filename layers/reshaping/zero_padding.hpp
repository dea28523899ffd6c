#pragma once
#include <array>

#include <strata/api/layer.hpp>
#include <strata/layers/reshaping/padding_spec.hpp>

namespace strata::layers {

struct ZeroPaddingOptions {
  std::string data_format = "channels_last";  // or channels_first: (batch, channels, spatial...)
  std::string name;
  Shape input_shape;
};
using ZeroPadding1DOptions = ZeroPaddingOptions;
using ZeroPadding2DOptions = ZeroPaddingOptions;
using ZeroPadding3DOptions = ZeroPaddingOptions;

/// What ZeroPadding1D/2D/3D share: adds (begin, end) zeros around each spatial dim.
class ZeroPadding : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  const std::vector<std::array<std::int64_t, 2>>& padding() const { return padding_; }

 protected:
  ZeroPadding(std::size_t rank, PaddingSpec padding, ZeroPaddingOptions options, const char* class_name);
  template <class L>
  static std::shared_ptr<L> padding_from_config(const nlohmann::json& config, const char* class_name);

 private:
  std::size_t rank_;
  std::vector<std::array<std::int64_t, 2>> padding_;
  std::string data_format_;
};

/// Reads padding and the options of a ZeroPadding config (zero_padding.cpp).
PaddingSpec read_padding_config(const nlohmann::json& config, const char* class_name, ZeroPaddingOptions& options);
void apply_padding_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> ZeroPadding::padding_from_config(const nlohmann::json& config, const char* class_name) {
  ZeroPaddingOptions options;
  PaddingSpec padding = read_padding_config(config, class_name, options);
  auto layer = std::make_shared<L>(std::move(padding), std::move(options));
  apply_padding_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
