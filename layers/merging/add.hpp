#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Add: the elementwise sum of the inputs, broadcasting 1s as Keras's merge layers do.
class Add : public Merge {
 public:
  STRATA_LAYER(Add)
  explicit Add(MergeOptions options = {}) : Merge(std::move(options)) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Add> from_config(const nlohmann::json& config) {
    return merge_from_config<Add>(config, "Add");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    Value y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y = y + xs[i];
    return y;
  }
};

}  // namespace strata::layers
