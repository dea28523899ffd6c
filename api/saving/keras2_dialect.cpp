#include <strata/api/saving/keras2_dialect.hpp>

#include <strata/api/errors.hpp>
#include <strata/layers/core/numpy_operation.hpp>

#include <set>
#include <string>

namespace strata::saving {

namespace {

using nlohmann::json;

bool is_serialized_object(const json& j) {
  return j.is_object() && j.contains("class_name") && j.contains("config") &&
         (j.contains("module") || j.contains("registered_name"));
}

/// The class name a Keras 2 reader looks up: a registered custom class goes by its registered name.
std::string class_name_of(const json& j) {
  if (j.contains("registered_name") && j.at("registered_name").is_string() && j.at("registered_name") != "Functional")
    return j.at("registered_name");
  return j.at("class_name");
}

/// Keras 3's DTypePolicy object -> tf.keras's dtype: a plain name, or a Policy object for mixed precision.
json keras2_dtype(const json& policy) {
  const std::string name = policy.at("config").value("name", "float32");
  if (name.rfind("mixed_", 0) == 0) return {{"class_name", "Policy"}, {"config", {{"name", name}}}};
  return name;
}

/// Initializers, regularizers, constraints, losses, metrics and dtypes, anywhere in a config.
json plain(const json& j) {
  if (j.is_array()) {
    json out = json::array();
    for (const auto& e : j) out.push_back(plain(e));
    return out;
  }
  if (!j.is_object()) return j;
  if (is_serialized_object(j)) {
    const std::string cls = class_name_of(j);
    if (cls == "DTypePolicy" || cls == "FloatDTypePolicy") return keras2_dtype(j);
    json config = plain(j.at("config"));
    // Keras 3.15's VarianceScaling family names the fan axes; tf.keras 2's constructors reject the keys
    for (const char* key : {"input_axes", "output_axes"})
      if (config.is_object() && config.contains(key) && config.at(key).is_null()) config.erase(key);
    return {{"class_name", cls}, {"config", config}};
  }
  json out = json::object();
  for (const auto& [k, v] : j.items()) out[k] = plain(v);
  return out;
}

/// Arguments of Keras 3 layers and optimizers that tf.keras 2's constructors reject.
void erase_keras3_only(json& config) {
  for (const char* key : {"lora_rank", "lora_alpha", "quantization_config", "optional", "loss_scale_factor",
                          "gradient_accumulation_steps"})
    config.erase(key);
}

/// The Keras tensors a Keras 3 node's args and kwargs refer to, in order, as [layer, node, tensor].
void collect_history(const json& j, json& out) {
  if (j.is_array()) {
    for (const auto& e : j) collect_history(e, out);
  } else if (j.is_object()) {
    if (j.value("class_name", "") == "__keras_tensor__") {
      out.push_back(j.at("config").at("keras_history"));
      return;
    }
    for (const auto& [k, v] : j.items()) collect_history(v, out);
  }
}

bool holds_tensor(const json& j) {
  json found = json::array();
  collect_history(j, found);
  return !found.empty();
}

/// Names of the layers of a model config that are models themselves.
using ModelNames = std::set<std::string>;

/// A reference [layer, node, tensor] in Keras 2's numbering: a nested model's own input-to-output node is
/// its call 0 there, so its calls in the graph count from 1.
json keras2_ref(json ref, const ModelNames& models) {
  if (models.count(ref.at(0).get<std::string>())) ref[1] = ref.at(1).get<int>() + 1;
  return ref;
}

/// A Keras 3 node {"args", "kwargs"} -> Keras 2's [[layer, node, tensor, kwargs], ...]. Keras 2 nodes
/// (already lists) pass through.
json keras2_node(const json& node, const ModelNames& models) {
  if (node.is_array()) return node;
  json history = json::array();
  collect_history(node.value("args", json::array()), history);
  json kwargs = json::object();
  if (node.contains("kwargs"))
    for (const auto& [k, v] : node.at("kwargs").items())
      if (!holds_tensor(v)) kwargs[k] = v;
  json out = json::array();
  for (const auto& h : history) {
    json ref = keras2_ref(h, models);
    out.push_back({ref.at(0), ref.at(1), ref.at(2), kwargs});
  }
  return out;
}

/// input_layers / output_layers as a list of [layer, node, tensor], however many there are.
json endpoint_list(const json& j, const ModelNames& models) {
  json refs = j.is_array() && !j.empty() && j.at(0).is_string() ? json::array({j}) : j;
  json out = json::array();
  for (const auto& r : refs) out.push_back(keras2_ref(r, models));
  return out;
}

json keras2_layer_config(const std::string& cls, const json& config);  // UnsupportedError: no tf.keras 2 form

json keras2_entry(const json& entry, bool functional, const ModelNames& models) {
  const std::string cls = class_name_of(entry);
  if (layers::NumpyOperation::is_operation(entry))
    throw UnsupportedError("keras.ops operation '" + entry.value("name", std::string()) + "' (" + cls +
                           "): tf.keras 2 records it as a TFOpLambda layer, which strata does not write; save in "
                           "Keras 3's format");
  json out = {{"class_name", cls}, {"config", keras2_layer_config(cls, entry.at("config"))}};
  if (functional) {
    out["name"] = entry.contains("name") ? entry.at("name") : out["config"].at("name");
    json nodes = json::array();
    for (const auto& n : entry.value("inbound_nodes", json::array())) nodes.push_back(keras2_node(n, models));
    out["inbound_nodes"] = nodes;
  }
  return out;
}

json keras2_layer_config(const std::string& cls, const json& config) {
  if (!config.is_object()) return config;
  if (config.contains("layers")) {
    // a model: its layers are entries of their own
    const bool functional = config.contains("input_layers");
    json out = json::object();
    for (const auto& [k, v] : config.items())
      if (k != "layers" && k != "dtype") out[k] = plain(v);
    ModelNames models;
    for (const auto& e : config.at("layers"))
      if (e.at("config").is_object() && e.at("config").contains("layers"))
        models.insert(e.contains("name") ? e.at("name").get<std::string>() : e.at("config").value("name", ""));
    json layers = json::array();
    for (const auto& e : config.at("layers")) layers.push_back(keras2_entry(e, functional, models));
    out["layers"] = layers;
    if (functional) {
      out["input_layers"] = endpoint_list(config.at("input_layers"), models);
      out["output_layers"] = endpoint_list(config.at("output_layers"), models);
    }
    return out;
  }
  json out = plain(config);
  erase_keras3_only(out);
  const std::string name = out.value("name", std::string());
  auto unsupported = [&](const std::string& what) {
    return UnsupportedError(cls + " layer '" + name + "': " + what + " has no tf.keras 2 equivalent, so the model "
                            "cannot be written in the Keras 2 dialect");
  };
  for (const char* key : {"activation", "recurrent_activation"}) {
    if (!out.contains(key)) continue;
    if (out.at(key) == "keras2_hard_sigmoid") out[key] = "hard_sigmoid";  // the same function in tf.keras 2
    else if (out.at(key) == "hard_sigmoid") throw unsupported("Keras 3's hard_sigmoid (slope 1/6)");
  }
  if (cls == "LeakyReLU" && out.contains("negative_slope")) {
    out["alpha"] = out.at("negative_slope");  // tf.keras 2's name
    out.erase("negative_slope");
  }
  if (cls == "LayerNormalization" && out.contains("rms_scaling")) {
    if (out.at("rms_scaling") == true) throw unsupported("rms_scaling=True");
    out.erase("rms_scaling");
  }
  if (cls == "ZeroPadding1D" && out.contains("data_format")) {
    if (out.at("data_format") == "channels_first") throw unsupported("data_format=\"channels_first\"");
    out.erase("data_format");
  }
  if (cls == "InputLayer") {
    if (out.contains("batch_shape")) {
      out["batch_input_shape"] = out.at("batch_shape");
      out.erase("batch_shape");
    }
    if (!out.contains("sparse")) out["sparse"] = false;
    if (!out.contains("ragged")) out["ragged"] = false;
  }
  return out;
}

}  // namespace

json keras2_model(const json& keras3_model) {
  const std::string cls = class_name_of(keras3_model);
  return {{"class_name", cls}, {"config", keras2_layer_config(cls, keras3_model.at("config"))}};
}

json keras2_training_config(const json& training_config) {
  json out = plain(training_config);
  if (out.contains("optimizer_config")) {
    json& opt = out["optimizer_config"];
    erase_keras3_only(opt["config"]);
    // tf.keras 2.11+'s optimizers; is_legacy_optimizer picks them over the v1 ones when deserializing
    opt["config"]["is_legacy_optimizer"] = false;
    if (!opt["config"].contains("jit_compile")) opt["config"]["jit_compile"] = false;
  }
  return out;
}

}  // namespace strata::saving
