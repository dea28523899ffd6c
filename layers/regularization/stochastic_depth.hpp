#pragma once
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

struct StochasticDepthOptions {
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// ConvNeXt's StochasticDepth (keras.src.applications.convnext): in training, drops a whole sample's residual
/// branch with probability `drop_path_rate` and scales kept samples by 1 / (1 - drop_path_rate); identity otherwise.
/// Registered under Keras's class name so Keras-saved ConvNeXt models load.
class StochasticDepth : public Layer {
 public:
  STRATA_LAYER(StochasticDepth)
  explicit StochasticDepth(double drop_path_rate, StochasticDepthOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config; see api/saving/config_reader.hpp.
  static std::shared_ptr<StochasticDepth> from_config(const nlohmann::json& config);

  double drop_path_rate() const { return rate_; }

 private:
  double rate_;
  std::uint64_t initial_seed_;
  Variable* seed_state_ = nullptr;
};

}  // namespace strata::layers
