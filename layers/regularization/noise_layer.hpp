#pragma once
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

/// What the training-only random layers share (Keras's SeedGenerator): an int64 seed state that every
/// training step reads and then advances, so each step draws fresh noise from the counter-based generator.
class NoiseLayer : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const Shape& input_shape) override;

 protected:
  NoiseLayer(std::string name, Shape input_shape, std::optional<std::uint64_t> seed);
  /// Emits the noise `draw(seed_state)` builds, then advances the state (the program runs ops in emission
  /// order, so the update follows the read).
  template <class Draw>
  Value draw_noise(CallContext& ctx, Draw&& draw) {
    Value state = ctx.variable(*seed_state_);
    Value noise = draw(state);
    ops::assign_add(state, 1);
    return noise;
  }
  /// Keras's "seed" config value (null when none was given).
  nlohmann::json seed_config() const;
  /// Reads "seed" from a config (absent or null: none).
  static std::optional<std::uint64_t> seed_from_config(const nlohmann::json& config);

  std::optional<std::uint64_t> seed_;

 private:
  std::uint64_t initial_seed_;
  Variable* seed_state_ = nullptr;
};

}  // namespace strata::layers
