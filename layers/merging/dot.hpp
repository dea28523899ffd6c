#pragma once
#include <array>

#include <strata/api/layer.hpp>

namespace strata::layers {

struct DotOptions {
  bool normalize = false;  // L2-normalize both inputs along their axes first (cosine proximity)
  std::string name;
};

/// keras.layers.Dot: the batched dot product of two inputs over axes[0] of the first and axes[1] of the second
/// (Keras's batch_dot); an int axis applies to both. The batch axis 0 cannot be an axis.
class Dot : public Layer {
 public:
  STRATA_LAYER(Dot)
  explicit Dot(int axes, DotOptions options = {});
  Dot(std::array<int, 2> axes, DotOptions options = {});
  using Layer::build;
  using Layer::call;

  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Dot> from_config(const nlohmann::json& config);

 private:
  /// Non-negative axes for inputs of these ranks.
  std::array<int, 2> resolve_axes(int rank0, int rank1) const;
  std::array<int, 2> axes_;
  bool single_axis_;
  bool normalize_;
};

}  // namespace strata::layers
