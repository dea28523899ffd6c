#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Maximum: the elementwise maximum of the inputs, broadcasting 1s as Keras's merge layers do.
class Maximum : public Merge {
 public:
  STRATA_LAYER(Maximum)
  explicit Maximum(MergeOptions options = {}) : Merge(std::move(options)) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Maximum> from_config(const nlohmann::json& config) {
    return merge_from_config<Maximum>(config, "Maximum");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    Value y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y = ops::maximum(y, xs[i]);
    return y;
  }
};

}  // namespace strata::layers
