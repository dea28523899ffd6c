#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Multiply: the elementwise product of the inputs, broadcasting 1s as Keras's merge layers do.
class Multiply : public Merge {
 public:
  STRATA_LAYER(Multiply)
  explicit Multiply(MergeOptions options = {}) : Merge(std::move(options)) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Multiply> from_config(const nlohmann::json& config) {
    return merge_from_config<Multiply>(config, "Multiply");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    Value y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y = y * xs[i];
    return y;
  }
};

}  // namespace strata::layers
