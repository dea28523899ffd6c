#pragma once
// strata's configs in tf.keras 2's dialect, for TensorFlow 2 users (docs/saving.md, "The Keras 2 dialect").
#include <nlohmann/json.hpp>

namespace strata::saving {

/// The Keras version named in files written in the Keras 2 dialect: the last tf.keras 2 release.
inline constexpr const char* kKeras2Version = "2.15.0";

/// A model object {"class_name", "config"} as Keras 3 serializes it, in tf.keras 2's dialect: plain
/// {"class_name", "config"} objects (no module, registered_name or build_config), string dtypes,
/// "batch_input_shape", list-form inbound nodes ([layer, node, tensor, kwargs]), and without the arguments
/// tf.keras 2 does not know.
nlohmann::json keras2_model(const nlohmann::json& keras3_model);

/// A training_config (legacy .h5) with the loss, metrics and optimizer in tf.keras 2's dialect.
nlohmann::json keras2_training_config(const nlohmann::json& keras3_training_config);

}  // namespace strata::saving
