#pragma once
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

struct DropoutOptions {
  /// Keras's noise_shape including the batch dim; 1 shares the mask along that axis, -1 (None) takes
  /// the input's size. Empty: no sharing.
  std::vector<std::int64_t> noise_shape;
  std::optional<std::uint64_t> seed;
  std::string name;
  Shape input_shape;
};

/// keras.layers.Dropout: in training, zeroes a fraction `rate` of the inputs and scales the rest by
/// 1 / (1 - rate); identity otherwise. Each training step draws a new mask.
class Dropout : public Layer {
 public:
  STRATA_LAYER(Dropout)
  explicit Dropout(double rate, DropoutOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<Dropout> from_config(const nlohmann::json& config);

  double rate() const { return rate_; }

 private:
  double rate_;
  DropoutOptions options_;
  std::uint64_t initial_seed_;
  Variable* seed_state_ = nullptr;
};

}  // namespace strata::layers
