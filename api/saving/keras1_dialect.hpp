#pragma once
// Keras 1 configs and weight layouts, read as Keras 2 read them (its legacy interfaces and
// preprocess_weights_for_loading); docs/saving.md, "What the reader accepts".
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/tensor.hpp>

namespace strata {
class Layer;
}

namespace strata::saving {

/// A layer entry {"class_name", "config", ...} with Keras 1's class and argument names (Convolution2D,
/// output_dim, nb_filter, border_mode, dim_ordering, init, W_regularizer, p, input_dtype, Merge, ...) in Keras 2's;
/// entries without them come back unchanged. UnsupportedError for what Keras 2 dropped too (BatchNormalization
/// mode 1/2, Merge modes other than sum, mul, ave, max and concat).
nlohmann::json upgrade_keras1_layer(const nlohmann::json& entry);

/// Gives a model config read from a Keras 1 or 2 file (`keras_version` below 3) the meanings its functions had
/// there: "hard_sigmoid" (activation, recurrent_activation) becomes "keras2_hard_sigmoid", Keras 2's slope of 0.2
/// rather than Keras 3's 1/6. Other versions are left as they are.
void use_keras2_meanings(nlohmann::json& config, const std::string& keras_version);

/// Where a legacy weights file came from: its root (or model_weights) keras_version and backend attributes.
struct WeightsOrigin {
  std::string keras_version;  // "" when absent
  std::string backend;        // "" when absent (Keras 1 files may lack it)
};

/// Weight `index` of `layer` as stored by `origin`, in strata's (Keras 2/3) layout: Keras 1's channels_first
/// kernels (filters, in, k...) are transposed to (k..., in, filters), Keras 1.1's Conv1D kernels lose their unit
/// axis, and kernels from the Theano backend (true convolution) are flipped in space. Anything else comes
/// back unchanged.
Tensor to_current_layout(const Layer& layer, std::size_t index, Tensor weight, const Shape& expected,
                         const WeightsOrigin& origin);

}  // namespace strata::saving
