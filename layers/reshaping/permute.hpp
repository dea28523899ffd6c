#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct PermuteOptions {
  std::string name;
  Shape input_shape;
};

/// keras.layers.Permute: permutes the non-batch dims; `dims` is 1-based ({2, 1} swaps the first two).
class Permute : public Layer {
 public:
  STRATA_LAYER(Permute)
  explicit Permute(std::vector<int> dims, PermuteOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const Shape& input_shape) override;
  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Permute> from_config(const nlohmann::json& config);

 private:
  std::vector<int> dims_;
};

}  // namespace strata::layers
