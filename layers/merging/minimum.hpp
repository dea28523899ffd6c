#pragma once
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

/// keras.layers.Minimum: the elementwise minimum of the inputs, broadcasting 1s as Keras's merge layers do.
class Minimum : public Merge {
 public:
  STRATA_LAYER(Minimum)
  explicit Minimum(MergeOptions options = {}) : Merge(std::move(options)) {}
  /// Inverse of get_config (any Keras 2 or 3 dialect).
  static std::shared_ptr<Minimum> from_config(const nlohmann::json& config) {
    return merge_from_config<Minimum>(config, "Minimum");
  }

 protected:
  Value merge(const std::vector<Value>& xs) override {
    Value y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y = ops::minimum(y, xs[i]);
    return y;
  }
};

}  // namespace strata::layers
