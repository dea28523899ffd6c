#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/tensor.hpp>

namespace strata {

/// How a Variable gets its first value: a Keras identifier ("glorot_uniform", "zeros", "he_normal", ...)
/// or an initializer object. Random initializers draw from the global seed (set_random_seed) unless
/// given their own.
class Initializer {
 public:
  using Fill = std::function<Tensor(const Shape& shape, DType dtype)>;
  /// Looks up a Keras identifier; ValueError listing the valid names if unknown.
  Initializer(const char* identifier);
  Initializer(const std::string& identifier);
  Initializer(std::string class_name, nlohmann::json config, Fill fill);

  Tensor operator()(const Shape& shape, DType dtype = DType::float32) const { return fill_(shape, dtype); }
  const std::string& class_name() const { return class_name_; }
  const nlohmann::json& get_config() const { return config_; }

 private:
  std::string class_name_;
  nlohmann::json config_;
  Fill fill_;
};

}  // namespace strata
