#pragma once
// Keras's built-in weight constraints (keras.constraints.*) and their serialized form.
#include <optional>
#include <string>
#include <vector>

#include <strata/api/constraints/constraint.hpp>
#include <strata/api/constraints/max_norm.hpp>
#include <strata/api/constraints/min_max_norm.hpp>
#include <strata/api/constraints/non_neg.hpp>
#include <strata/api/constraints/unit_norm.hpp>

namespace strata::constraints {

/// Keras's serialized form: {"module": "keras.constraints", "class_name", "config", "registered_name"}.
nlohmann::json serialize(const Constraint& constraint);
/// null when unset, as Keras writes a layer's absent constraint.
nlohmann::json serialize(const std::optional<Constraint>& constraint);

/// The inverse of serialize: an identifier ("max_norm"), or {"class_name": "MaxNorm", "config": {...}} of
/// Keras 3 or 2; null gives no constraint. ValueError naming an unknown one.
std::optional<Constraint> deserialize(const nlohmann::json& value);

/// Keras's constraints.get: the class for an identifier or class name, with its default arguments.
Constraint get(const std::string& identifier);

/// Identifiers and class names accepted by Constraint("..."), sorted.
const std::vector<std::string>& identifiers();

}  // namespace strata::constraints
