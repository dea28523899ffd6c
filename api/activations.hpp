#pragma once
#include <optional>
#include <string>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// A Keras activation function by name ("relu", "softmax", "gelu", ...): what layers' `activation`
/// arguments take. An unknown name raises ValueError listing the valid names.
class ActivationFunction {
 public:
  ActivationFunction(const char* name = "linear");
  ActivationFunction(const std::string& name);
  const std::string& name() const { return name_; }
  bool is_linear() const { return name_ == "linear"; }
  /// Emits the activation's ops.
  Value operator()(Value x) const;

 private:
  std::string name_;
};

/// keras.activations with their arguments (keras/src/activations/activations.py); each emits ops.
namespace activations {
/// Keras's relu: x above `threshold` (else 0), clipped to max_value, minus negative_slope * relu(threshold - x).
Value relu(Value x, float negative_slope = 0.0f, std::optional<float> max_value = std::nullopt, float threshold = 0.0f);
Value leaky_relu(Value x, float negative_slope = 0.2f);
Value relu6(Value x);
Value elu(Value x, float alpha = 1.0f);
Value celu(Value x, float alpha = 1.0f);
Value selu(Value x);
Value gelu(Value x, bool approximate = false);
Value silu(Value x);
Value sigmoid(Value x);
Value tanh(Value x);
Value softplus(Value x);
Value softsign(Value x);
Value exponential(Value x);
/// Keras 3's definition: relu6(x + 3) / 6 (Keras 2's slope was 0.2).
Value hard_sigmoid(Value x);
/// Keras 1 and 2's hard_sigmoid: clip(0.2 x + 0.5, 0, 1); "keras2_hard_sigmoid" by name. Models read from Keras 1
/// and 2 files get it where they say "hard_sigmoid" (docs/saving.md); Keras 3 has no such function.
Value keras2_hard_sigmoid(Value x);
Value hard_silu(Value x);
Value hard_tanh(Value x);
Value log_sigmoid(Value x);
Value mish(Value x);
Value tanh_shrink(Value x);
Value squareplus(Value x, float b = 4.0f);
Value soft_shrink(Value x, float threshold = 0.5f);
Value hard_shrink(Value x, float threshold = 0.5f);
/// x where x > threshold, else default_value.
Value threshold(Value x, float threshold, float default_value);
Value sparse_plus(Value x);
Value sparse_sigmoid(Value x);
Value softmax(Value x, int axis = -1);
Value log_softmax(Value x, int axis = -1);
/// a * sigmoid(b) where a, b are the two halves of x along `axis` (its size must be even).
Value glu(Value x, int axis = -1);
/// Keras 3's sparsemax formula along `axis` (tau from the sum of the support's cumulative sums, as every Keras
/// backend computes it); O(n^2) memory in the axis size n.
Value sparsemax(Value x, int axis = -1);
}  // namespace activations

}  // namespace strata
