#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

/// A penalty on a weight or a layer output, added to the training loss (keras.regularizers.*): a Keras
/// identifier ("l1", "l2", "l1l2", "orthogonal_regularizer") or a regularizer object. It builds its
/// scalar penalty from IR ops, so the penalty's gradient comes from the ops' gradient rules.
class Regularizer {
 public:
  using Penalty = std::function<Value(Value x)>;
  /// Looks up a Keras identifier; ValueError naming it and listing the valid ones if unknown.
  Regularizer(const char* identifier);
  Regularizer(const std::string& identifier);
  Regularizer(std::string class_name, nlohmann::json config, Penalty penalty);

  /// The scalar penalty of `x` (a weight's graph value or a layer output).
  Value operator()(Value x) const { return penalty_(x); }
  const std::string& class_name() const { return class_name_; }
  const nlohmann::json& get_config() const { return config_; }

 private:
  std::string class_name_;
  nlohmann::json config_;
  Penalty penalty_;
};

}  // namespace strata
