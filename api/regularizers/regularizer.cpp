#include <strata/api/regularizers/regularizers.hpp>

#include <cmath>
#include <functional>
#include <map>

#include <strata/api/errors.hpp>

namespace strata {

namespace {

using Factory = std::function<Regularizer()>;

/// Keras's ALL_OBJECTS_DICT: class names and their snake_case identifiers.
const std::map<std::string, Factory>& registry() {
  using namespace regularizers;
  static const std::map<std::string, Factory> r = {
      {"L1", [] { return L1(); }},
      {"l1", [] { return L1(); }},
      {"L2", [] { return L2(); }},
      {"l2", [] { return L2(); }},
      {"L1L2", [] { return L1L2(); }},
      {"l1l2", [] { return L1L2(); }},
      {"l1_l2", [] { return L1L2(); }},  // tf.keras 2's identifier
      {"OrthogonalRegularizer", [] { return OrthogonalRegularizer(); }},
      {"orthogonal_regularizer", [] { return OrthogonalRegularizer(); }},
  };
  return r;
}

}  // namespace

Regularizer::Regularizer(const char* identifier) : Regularizer(regularizers::get(identifier)) {}
Regularizer::Regularizer(const std::string& identifier) : Regularizer(regularizers::get(identifier)) {}
Regularizer::Regularizer(std::string class_name, nlohmann::json config, Penalty penalty)
    : class_name_(std::move(class_name)), config_(std::move(config)), penalty_(std::move(penalty)) {}

namespace regularizers {

Regularizer get(const std::string& identifier) {
  const auto& r = registry();
  auto it = r.find(identifier);
  if (it == r.end()) {
    std::string names;
    for (const auto& n : identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Could not interpret regularizer identifier: " + identifier + ". Valid identifiers: " + names);
  }
  return it->second();
}

const std::vector<std::string>& identifiers() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [k, v] : registry()) n.push_back(k);
    return n;
  }();
  return names;
}

double validate_factor(double value, const std::string& name) {
  if (!std::isfinite(value) || value < 0)
    throw ValueError("Invalid value for argument " + name + ": expected a non-negative float.Received: " + name + "=" +
                     nlohmann::json(value).dump());
  return value;
}

Value sum_abs(Value x) {
  Value sign = ops::binary(x, x.graph().scalar(0.0f), BinaryKind::greater_equal) * 2.0f - 1.0f;
  return ops::sum(x * sign);
}

nlohmann::json serialize(const Regularizer& regularizer) {
  return {{"module", "keras.regularizers"},
          {"class_name", regularizer.class_name()},
          {"config", regularizer.get_config()},
          {"registered_name", nullptr}};
}

nlohmann::json serialize(const std::optional<Regularizer>& regularizer) {
  return regularizer ? serialize(*regularizer) : nlohmann::json(nullptr);
}

std::optional<Regularizer> deserialize(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return get(value.get<std::string>());
  // Keras 1: {"name": "WeightRegularizer" | "ActivityRegularizer" | "L1L2Regularizer", "l1": ..., "l2": ...}
  if (value.is_object() && !value.contains("class_name") && value.contains("name") && value.at("name").is_string()) {
    auto factor = [&](const char* key) {
      return value.contains(key) && value.at(key).is_number() ? value.at(key).get<double>() : 0.0;
    };
    return L1L2({.l1 = factor("l1"), .l2 = factor("l2")});
  }
  if (!value.is_object() || !value.contains("class_name") || !value.at("class_name").is_string())
    throw ValueError("Could not interpret regularizer identifier: " + value.dump() +
                     ": expected an identifier or {\"class_name\": ..., \"config\": {...}}");
  const std::string cls = value.at("class_name").get<std::string>();
  const nlohmann::json c = value.contains("config") && value.at("config").is_object() ? value.at("config")
                                                                                        : nlohmann::json::object();
  auto number = [&](const char* key, double fallback) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return fallback;
    if (!it->is_number()) throw ValueError(cls + ": config field '" + std::string(key) + "' must be a number");
    return it->get<double>();
  };
  if (cls == "L1" || cls == "l1") return L1(number("l1", 0.01));
  if (cls == "L2" || cls == "l2") return L2(number("l2", 0.01));
  if (cls == "L1L2" || cls == "l1l2" || cls == "l1_l2") return L1L2({.l1 = number("l1", 0.0), .l2 = number("l2", 0.0)});
  if (cls == "OrthogonalRegularizer" || cls == "orthogonal_regularizer")
    return OrthogonalRegularizer({.factor = number("factor", 0.01),
                                  .mode = c.contains("mode") && c.at("mode").is_string() ? c.at("mode").get<std::string>()
                                                                                         : "rows"});
  return get(cls);
}

}  // namespace regularizers
}  // namespace strata
