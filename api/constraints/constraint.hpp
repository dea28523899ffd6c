#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

/// A projection applied to a weight right after each optimizer update (keras.constraints.*): a Keras
/// identifier ("max_norm", "min_max_norm", "non_neg", "unit_norm") or a constraint object. It builds the
/// projected value from IR ops; the training step assigns it back to the variable.
class Constraint {
 public:
  using Projection = std::function<Value(Value w)>;
  /// Looks up a Keras identifier; ValueError naming it and listing the valid ones if unknown.
  Constraint(const char* identifier);
  Constraint(const std::string& identifier);
  Constraint(std::string class_name, nlohmann::json config, Projection projection);

  /// The projected weight (same shape as `w`).
  Value operator()(Value w) const { return projection_(w); }
  const std::string& class_name() const { return class_name_; }
  const nlohmann::json& get_config() const { return config_; }

 private:
  std::string class_name_;
  nlohmann::json config_;
  Projection projection_;
};

namespace constraints {

/// Keras's `axis` argument: one axis or several (negative counts from the end).
struct Axes {
  Axes(int axis = 0) : axes{axis} {}
  Axes(std::initializer_list<int> list) : axes(list) {}
  Axes(std::vector<int> list) : axes(std::move(list)) {}
  std::vector<int> axes;
  /// An int when there is one axis, else a list, as Keras writes it.
  nlohmann::json to_json() const;
  static Axes from_json(const nlohmann::json& value, const std::string& where);
};

/// sqrt(sum(w², axes, keepdims)): the norms the norm constraints rescale.
Value weight_norms(Value w, const Axes& axis);

}  // namespace constraints

}  // namespace strata
