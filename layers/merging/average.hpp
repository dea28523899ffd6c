#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Average: the elementwise mean of the inputs, broadcasting 1s as Keras's merge layers do.
class Average : public Merge {
 public:
  STRATA_LAYER(Average)
  explicit Average(MergeOptions options = {}) : Merge(std::move(options)) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Average> from_config(const nlohmann::json& config) {
    return merge_from_config<Average>(config, "Average");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    Value y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y = y + xs[i];
    return y / static_cast<float>(xs.size());
  }
};

}  // namespace strata::layers
