#pragma once
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/regularization/noise_layer.hpp>

namespace strata::layers {

struct SpatialDropoutOptions {
  std::string data_format = "channels_last";  // 2D/3D only: channels_last or channels_first
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// What SpatialDropout1D/2D/3D share (Keras's BaseSpatialDropout): in training, dropout of whole channels
/// (one mask value per sample and channel, kept ones scaled by 1 / (1 - rate)); identity otherwise.
class SpatialDropout : public NoiseLayer {
 public:
  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  /// Keras's keys: rate, seed, name, dtype (+ data_format for 2D/3D), no trainable.
  nlohmann::json get_config() const override;
  double rate() const { return rate_; }

 protected:
  /// `spatial_dims` 1, 2 or 3: the input has rank spatial_dims + 2.
  SpatialDropout(int spatial_dims, double rate, SpatialDropoutOptions options);
  /// ValueError for a bad rate or data_format; the subclass constructors call it, as errors name the class.
  void check_arguments() const;
  template <class L>
  static std::shared_ptr<L> spatial_from_config(const nlohmann::json& config, const char* class_name);

 private:
  int spatial_dims_;
  double rate_;
  std::string data_format_;
};

template <class L>
std::shared_ptr<L> SpatialDropout::spatial_from_config(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  SpatialDropoutOptions o{.data_format = c.get_string("data_format", "channels_last"),
                          .seed = seed_from_config(config),
                          .name = c.name(),
                          .input_shape = c.input_shape()};
  auto layer = std::make_shared<L>(c.get_double("rate"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
