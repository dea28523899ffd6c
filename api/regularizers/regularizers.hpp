#pragma once
// Keras's built-in regularizers (keras.regularizers.*) and their serialized form.
#include <optional>
#include <string>
#include <vector>

#include <strata/api/regularizers/l1.hpp>
#include <strata/api/regularizers/l1l2.hpp>
#include <strata/api/regularizers/l2.hpp>
#include <strata/api/regularizers/orthogonal_regularizer.hpp>
#include <strata/api/regularizers/regularizer.hpp>

namespace strata::regularizers {

/// Keras's serialized form: {"module": "keras.regularizers", "class_name", "config", "registered_name"}.
nlohmann::json serialize(const Regularizer& regularizer);
/// null when unset, as Keras writes a layer's absent regularizer.
nlohmann::json serialize(const std::optional<Regularizer>& regularizer);

/// The inverse of serialize: an identifier ("l2"), or {"class_name": "L2", "config": {...}} of Keras 3 or 2
/// (with or without "module"); null gives no regularizer. ValueError naming an unknown one.
std::optional<Regularizer> deserialize(const nlohmann::json& value);

/// Keras's regularizers.get: the class for an identifier or class name, with its default arguments.
Regularizer get(const std::string& identifier);

/// Identifiers and class names accepted by Regularizer("..."), sorted.
const std::vector<std::string>& identifiers();

/// sum(|x|) with JAX's gradient of abs, +1 at exactly 0 (Keras's jax backend): x * (x >= 0 ? 1 : -1), the
/// sign a comparison (no gradient). L1 penalties on weights a NonNeg constraint holds at 0 depend on it.
Value sum_abs(Value x);

/// Keras's validate_float_arg: a finite, non-negative factor, else ValueError naming the argument.
double validate_factor(double value, const std::string& name);

}  // namespace strata::regularizers
