#pragma once
#include <string>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// A Keras activation function by name ("relu", "softmax", "gelu", ...): what layers' `activation`
/// arguments take. An unknown name raises ValueError listing the valid names.
class ActivationFunction {
 public:
  ActivationFunction(const char* name = "linear");
  ActivationFunction(const std::string& name);
  const std::string& name() const { return name_; }
  bool is_linear() const { return name_ == "linear"; }
  /// Emits the activation's ops.
  Value operator()(Value x) const;

 private:
  std::string name_;
};

}  // namespace strata
