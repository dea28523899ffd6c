#include <strata/api/constraints/constraints.hpp>

#include <functional>
#include <map>

#include <strata/api/errors.hpp>

namespace strata {

namespace {

using Factory = std::function<Constraint()>;

/// Keras's ALL_OBJECTS_DICT: class names and their snake_case identifiers.
const std::map<std::string, Factory>& registry() {
  using namespace constraints;
  static const std::map<std::string, Factory> r = {
      {"MaxNorm", [] { return MaxNorm(); }},       {"max_norm", [] { return MaxNorm(); }},
      {"MinMaxNorm", [] { return MinMaxNorm(); }}, {"min_max_norm", [] { return MinMaxNorm(); }},
      {"NonNeg", [] { return NonNeg(); }},         {"non_neg", [] { return NonNeg(); }},
      {"UnitNorm", [] { return UnitNorm(); }},     {"unit_norm", [] { return UnitNorm(); }},
  };
  return r;
}

}  // namespace

Constraint::Constraint(const char* identifier) : Constraint(constraints::get(identifier)) {}
Constraint::Constraint(const std::string& identifier) : Constraint(constraints::get(identifier)) {}
Constraint::Constraint(std::string class_name, nlohmann::json config, Projection projection)
    : class_name_(std::move(class_name)), config_(std::move(config)), projection_(std::move(projection)) {}

namespace constraints {

Constraint get(const std::string& identifier) {
  const auto& r = registry();
  auto it = r.find(identifier);
  if (it == r.end()) {
    std::string names;
    for (const auto& n : identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Could not interpret constraint identifier: " + identifier + ". Valid identifiers: " + names);
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

nlohmann::json Axes::to_json() const { return axes.size() == 1 ? nlohmann::json(axes[0]) : nlohmann::json(axes); }

Axes Axes::from_json(const nlohmann::json& value, const std::string& where) {
  if (value.is_number_integer()) return Axes(value.get<int>());
  if (value.is_array() && !value.empty()) {
    std::vector<int> list;
    for (const auto& a : value) {
      if (!a.is_number_integer()) break;
      list.push_back(a.get<int>());
    }
    if (list.size() == value.size()) return Axes(std::move(list));
  }
  throw ValueError(where + ": config field 'axis' must be an int or a list of ints, got " + value.dump());
}

Value weight_norms(Value w, const Axes& axis) {
  std::vector<int> axes;
  for (int a : axis.axes) {
    int r = a < 0 ? a + w.ndim() : a;
    if (r < 0 || r >= w.ndim())
      throw ValueError("constraint: axis " + std::to_string(a) + " is out of range for a weight of shape " +
                       shape_str(w.shape()));
    axes.push_back(r);
  }
  return ops::sqrt(ops::sum(ops::square(w), axes, true));
}

nlohmann::json serialize(const Constraint& constraint) {
  return {{"module", "keras.constraints"},
          {"class_name", constraint.class_name()},
          {"config", constraint.get_config()},
          {"registered_name", nullptr}};
}

nlohmann::json serialize(const std::optional<Constraint>& constraint) {
  return constraint ? serialize(*constraint) : nlohmann::json(nullptr);
}

std::optional<Constraint> deserialize(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return get(value.get<std::string>());
  // Keras 1: {"name": "MaxNorm", "m": 2, "axis": 0}, {"name": "NonNeg"}, {"name": "UnitNorm", "axis": 0}
  if (value.is_object() && !value.contains("class_name") && value.contains("name") && value.at("name").is_string()) {
    const std::string cls = value.at("name").get<std::string>();
    const Axes axis = value.contains("axis") ? Axes::from_json(value.at("axis"), cls) : Axes(0);
    if (cls == "MaxNorm") return MaxNorm({.max_value = value.value("m", 2.0), .axis = axis});
    if (cls == "UnitNorm") return UnitNorm({.axis = axis});
    return get(cls);
  }
  if (!value.is_object() || !value.contains("class_name") || !value.at("class_name").is_string())
    throw ValueError("Could not interpret constraint identifier: " + value.dump() +
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
  auto axis = [&] { return c.contains("axis") ? Axes::from_json(c.at("axis"), cls) : Axes(0); };
  if (cls == "MaxNorm" || cls == "max_norm")
    return MaxNorm({.max_value = number("max_value", 2.0), .axis = axis()});
  if (cls == "MinMaxNorm" || cls == "min_max_norm")
    return MinMaxNorm({.min_value = number("min_value", 0.0),
                       .max_value = number("max_value", 1.0),
                       .rate = number("rate", 1.0),
                       .axis = axis()});
  if (cls == "NonNeg" || cls == "non_neg") return NonNeg();
  if (cls == "UnitNorm" || cls == "unit_norm") return UnitNorm({.axis = axis()});
  return get(cls);
}

}  // namespace constraints
}  // namespace strata
