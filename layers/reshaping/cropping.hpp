#pragma once
#include <array>

#include <strata/api/layer.hpp>
#include <strata/layers/reshaping/padding_spec.hpp>

namespace strata::layers {

struct CroppingOptions {
  std::string data_format = "channels_last";  // Cropping2D/3D only: or (batch, channels, spatial...)
  std::string name;
  Shape input_shape;
};
using Cropping1DOptions = CroppingOptions;
using Cropping2DOptions = CroppingOptions;
using Cropping3DOptions = CroppingOptions;

/// What Cropping1D/2D/3D share: removes (begin, end) entries of each spatial dim.
class Cropping : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  const std::vector<std::array<std::int64_t, 2>>& cropping() const { return cropping_; }

 protected:
  Cropping(std::size_t rank, PaddingSpec cropping, CroppingOptions options, const char* class_name);
  template <class L>
  static std::shared_ptr<L> cropping_from_config(const nlohmann::json& config, const char* class_name);

 private:
  std::size_t rank_;
  std::vector<std::array<std::int64_t, 2>> cropping_;
  std::string data_format_;
};

/// Reads cropping and the options of a Cropping config (cropping.cpp).
PaddingSpec read_cropping_config(const nlohmann::json& config, const char* class_name, CroppingOptions& options);
void apply_cropping_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> Cropping::cropping_from_config(const nlohmann::json& config, const char* class_name) {
  CroppingOptions options;
  PaddingSpec cropping = read_cropping_config(config, class_name, options);
  auto layer = std::make_shared<L>(std::move(cropping), std::move(options));
  apply_cropping_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
