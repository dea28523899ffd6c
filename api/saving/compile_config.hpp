#pragma once
// A model's compile arguments in Keras's serialized forms: compile_config (model.to_json) and the
// legacy HDF5 training_config, both ways.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/model.hpp>

namespace strata::saving {

/// {"module": "keras.optimizers", "class_name": "Adam", "config": {...}, "registered_name": null}.
nlohmann::json serialize_optimizer(const Optimizer& optimizer);
/// An optimizer from {"class_name", "config"} (Keras 2 or 3; "lr" and "decay" of Keras 2 included) or an
/// identifier. UnsupportedError for options strata does not have (schedules, weight decay, clipping, EMA).
std::shared_ptr<Optimizer> deserialize_optimizer(const nlohmann::json& value);

/// Keras 3's compile_config: optimizer, loss, loss_weights, metrics, weighted_metrics, run_eagerly,
/// steps_per_execution, jit_compile. Empty object if the model is not compiled.
nlohmann::json compile_config(const Model& model);
/// The legacy HDF5 training_config: compile_config without "optimizer", plus "optimizer_config"
/// {"class_name", "config"}.
nlohmann::json training_config(const Model& model);
/// compile() arguments from a training_config or compile_config (Keras 2 or 3). Errors name the field.
CompileOptions compile_options_from(const nlohmann::json& config, const Model& model);

}  // namespace strata::saving
