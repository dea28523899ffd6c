#pragma once
// What every keras.applications constructor shares: its arguments and the pieces each family reuses.
#include <memory>
#include <optional>
#include <string>

#include <strata/api/model.hpp>
#include <strata/api/symbolic_tensor.hpp>

namespace strata::applications {

/// Keras's common signature: `ResNet50({.include_top = false, .weights = "resnet50_notop.h5", .pooling = "avg"})`.
/// Nothing is downloaded: `weights` is a path to a Keras weights `.h5` (the published files load as they are) or
/// empty for random initialization (Keras's weights=None).
struct ApplicationOptions {
  bool include_top = true;
  std::string weights;
  std::optional<SymbolicTensor> input_tensor;
  Shape input_shape;        // per sample, without the batch dim; empty: the family's default
  std::string pooling;      // "", "avg" or "max": used when include_top is false
  std::int64_t classes = 1000;
  std::string classifier_activation = "softmax";
  std::string name;         // empty: Keras's model name ("resnet50", "vgg16", ...)
};

}  // namespace strata::applications
