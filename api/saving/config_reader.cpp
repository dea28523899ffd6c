#include <strata/api/saving/config_reader.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/regularizers/regularizers.hpp>

namespace strata {

namespace {
std::string type_name(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return std::string(v.type_name()) + " " + s;
}
}  // namespace

ConfigReader::ConfigReader(const nlohmann::json& config, std::string class_name)
    : config_(config), class_name_(std::move(class_name)) {
  if (!config_.is_object())
    throw FileFormatError(class_name_ + ": the layer config must be a JSON object, got " + type_name(config_));
}

std::string ConfigReader::where() const {
  auto it = config_.find("name");
  if (it != config_.end() && it->is_string()) return class_name_ + " '" + it->get<std::string>() + "': ";
  return class_name_ + ": ";
}

bool ConfigReader::has(const std::string& key) const {
  auto it = config_.find(key);
  return it != config_.end() && !it->is_null();
}

const nlohmann::json& ConfigReader::at(const std::string& key) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null())
    throw FileFormatError(where() + "config field '" + key + "' is missing");
  return *it;
}

void ConfigReader::bad(const std::string& key, const std::string& expected) const {
  throw FileFormatError(where() + "config field '" + key + "': expected " + expected + ", got " +
                        type_name(config_.at(key)));
}

std::int64_t ConfigReader::get_int(const std::string& key) const {
  const auto& v = at(key);
  if (v.is_number_integer()) return v.get<std::int64_t>();
  // Keras 2 configs sometimes hold integral floats (e.g. units: 64.0)
  // (range-checked first: converting an out-of-range double to an integer is undefined)
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= -9.2e18 && d <= 9.2e18 && d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  bad(key, "an integer");
}
std::int64_t ConfigReader::get_int(const std::string& key, std::int64_t fallback) const {
  return has(key) ? get_int(key) : fallback;
}

double ConfigReader::get_double(const std::string& key) const {
  const auto& v = at(key);
  if (!v.is_number()) bad(key, "a number");
  return v.get<double>();
}
double ConfigReader::get_double(const std::string& key, double fallback) const {
  return has(key) ? get_double(key) : fallback;
}

bool ConfigReader::get_bool(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = at(key);
  if (!v.is_boolean()) bad(key, "true or false");
  return v.get<bool>();
}

std::string ConfigReader::get_string(const std::string& key) const {
  const auto& v = at(key);
  if (!v.is_string()) bad(key, "a string");
  return v.get<std::string>();
}
std::string ConfigReader::get_string(const std::string& key, const std::string& fallback) const {
  return has(key) ? get_string(key) : fallback;
}

std::vector<std::int64_t> ConfigReader::get_int_list(const std::string& key) const {
  const auto& v = at(key);
  if (v.is_number_integer()) return {v.get<std::int64_t>()};
  // json_utils writes Python tuples as {"class_name": "__tuple__", "items": [...]} in some paths
  const nlohmann::json* items = &v;
  if (v.is_object() && v.value("class_name", "") == "__tuple__" && v.contains("items")) items = &v.at("items");
  if (!items->is_array()) bad(key, "a list of integers");
  std::vector<std::int64_t> out;
  for (const auto& e : *items) {
    if (e.is_null()) out.push_back(-1);
    else if (e.is_number_integer()) out.push_back(e.get<std::int64_t>());
    else bad(key, "a list of integers (or nulls)");
  }
  return out;
}

std::optional<std::vector<std::int64_t>> ConfigReader::get_optional_int_list(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return get_int_list(key);
}

layers::SpatialSize ConfigReader::get_spatial(const std::string& key) const {
  const auto& v = at(key);
  if (v.is_number_integer()) return layers::SpatialSize(static_cast<int>(v.get<std::int64_t>()));
  std::vector<int> values;
  for (auto d : get_int_list(key)) values.push_back(static_cast<int>(d));
  return layers::SpatialSize(values);
}
layers::SpatialSize ConfigReader::get_spatial(const std::string& key, layers::SpatialSize fallback) const {
  return has(key) ? get_spatial(key) : fallback;
}

ActivationFunction ConfigReader::get_activation(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return ActivationFunction(fallback);
  const auto& v = at(key);
  std::string name;
  if (v.is_string()) {
    name = v.get<std::string>();
  } else if (v.is_object()) {
    // Keras 3 writes non-string activations as {"module": "keras.activations", "class_name": "function",
    // "config": "relu", ...}; Keras 2 as {"class_name": "ReLU", "config": {...}} for layer objects
    const auto& c = v.contains("config") ? v.at("config") : nlohmann::json();
    if (c.is_string()) name = c.get<std::string>();
    else if (v.contains("class_name") && v.at("class_name").is_string()) name = v.at("class_name").get<std::string>();
    if (v.value("module", "") == "builtins" || v.value("class_name", "") == "__lambda__")
      throw UnsupportedError(where() + "config field '" + key +
                             "' is Python code (a lambda or custom function), which cannot be loaded in C++");
  } else {
    bad(key, "an activation name");
  }
  try {
    return ActivationFunction(name);
  } catch (const ValueError& e) {
    throw UnsupportedError(where() + "config field '" + key + "': " + e.what());
  }
}

Initializer ConfigReader::get_initializer(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return Initializer(fallback);
  try {
    return initializers::deserialize(at(key));
  } catch (const ValueError& e) {
    throw UnsupportedError(where() + "config field '" + key + "': " + e.what());
  }
}

std::optional<Regularizer> ConfigReader::get_regularizer(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  try {
    return regularizers::deserialize(at(key));
  } catch (const ValueError& e) {
    throw UnsupportedError(where() + "config field '" + key + "': " + e.what());
  }
}

std::optional<Constraint> ConfigReader::get_constraint(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  try {
    return constraints::deserialize(at(key));
  } catch (const ValueError& e) {
    throw UnsupportedError(where() + "config field '" + key + "': " + e.what());
  }
}

std::string ConfigReader::name() const { return has("name") ? get_string("name") : ""; }

Shape ConfigReader::input_shape() const {
  auto strip_batch = [](std::vector<std::int64_t> s) { return s.empty() ? s : Shape(s.begin() + 1, s.end()); };
  if (has("batch_input_shape")) return strip_batch(get_int_list("batch_input_shape"));
  if (has("batch_shape")) return strip_batch(get_int_list("batch_shape"));
  if (has("input_shape")) return get_int_list("input_shape");
  return {};
}

void ConfigReader::apply_base(Layer& layer) const {
  layer.set_trainable(get_bool("trainable", true));
  layer.set_activity_regularizer(get_regularizer("activity_regularizer"));
  if (!has("dtype")) return;
  const auto& d = at("dtype");
  std::string policy;
  if (d.is_string()) {
    policy = d.get<std::string>();
  } else if (d.is_object() && d.contains("config") && d.at("config").is_object() &&
             d.at("config").contains("name") && d.at("config").at("name").is_string()) {
    // Keras 3 {"class_name": "DTypePolicy", "config": {"name": ...}}; Keras 2 {"class_name": "Policy", ...}
    policy = d.at("config").at("name").get<std::string>();
  } else {
    bad("dtype", "a dtype name or a DTypePolicy");
  }
  if (policy != "float32")
    throw UnsupportedError(where() + "dtype policy '" + policy + "' is not supported; strata computes in float32");
}

void ConfigReader::require_unset(std::initializer_list<const char*> keys, const std::string& why) const {
  for (const char* key : keys) {
    auto it = config_.find(key);
    if (it == config_.end() || it->is_null()) continue;
    if (it->is_boolean() && !it->get<bool>()) continue;
    if (it->is_number() && it->get<double>() == 0.0) continue;
    throw UnsupportedError(where() + "config field '" + key + "' is set to " + type_name(*it) + ", but " + why);
  }
}

}  // namespace strata
