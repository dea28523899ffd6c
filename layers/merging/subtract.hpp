#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Subtract: inputs[0] - inputs[1] (exactly 2 inputs), broadcasting 1s as Keras's merge layers do.
class Subtract : public Merge {
 public:
  STRATA_LAYER(Subtract)
  explicit Subtract(MergeOptions options = {}) : Merge(std::move(options), 2) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Subtract> from_config(const nlohmann::json& config) {
    return merge_from_config<Subtract>(config, "Subtract");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    return xs[0] - xs[1];
  }
};

}  // namespace strata::layers
