#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/activations.hpp>
#include <strata/api/initializers/initializer.hpp>
#include <strata/api/layer.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata {

/// Reads one layer's Keras config (as layer.get_config() writes it, any Keras 2 or 3 dialect) for a
/// from_config. Every error names the class, the layer and the field: a missing or mistyped field is a
/// FileFormatError; a value strata cannot honour (a custom regularizer, a non-float32 dtype policy) is an
/// UnsupportedError. Keys it is never asked about are ignored, so newer Keras keys do not break loading.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& config, std::string class_name);

  const nlohmann::json& json() const { return config_; }
  /// Present and not null.
  bool has(const std::string& key) const;
  /// "Dense 'dense_1': " — the prefix of every error.
  std::string where() const;

  std::int64_t get_int(const std::string& key) const;
  std::int64_t get_int(const std::string& key, std::int64_t fallback) const;
  double get_double(const std::string& key) const;
  double get_double(const std::string& key, double fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  /// A list of ints where null entries (Keras's None) become -1; a bare int becomes a 1-element list.
  std::vector<std::int64_t> get_int_list(const std::string& key) const;
  std::optional<std::vector<std::int64_t>> get_optional_int_list(const std::string& key) const;
  /// kernel_size, strides, pool_size, ...: an int or a list.
  layers::SpatialSize get_spatial(const std::string& key) const;
  layers::SpatialSize get_spatial(const std::string& key, layers::SpatialSize fallback) const;
  /// "relu", or Keras's serialized activation function.
  ActivationFunction get_activation(const std::string& key, const std::string& fallback = "linear") const;
  /// "glorot_uniform" or {"class_name": "GlorotUniform", "config": {...}} (with or without "module").
  Initializer get_initializer(const std::string& key, const std::string& fallback) const;
  /// "l2" or {"class_name": "L2", "config": {...}} (Keras 3 or 2); absent or null gives none.
  std::optional<Regularizer> get_regularizer(const std::string& key) const;
  /// "max_norm" or {"class_name": "MaxNorm", "config": {...}} (Keras 3 or 2); absent or null gives none.
  std::optional<Constraint> get_constraint(const std::string& key) const;

  // ---- the base Layer keys ------------------------------------------------------------------------
  /// The layer's name ("" if absent: the layer then gets an automatic one).
  std::string name() const;
  /// Per-sample input shape from input_shape, batch_input_shape (Keras 2) or batch_shape; empty if none.
  Shape input_shape() const;
  /// Applies `trainable` and `activity_regularizer` and checks the dtype policy (float32 only).
  void apply_base(Layer& layer) const;
  /// UnsupportedError if any of these keys holds something other than null (or false/0 for flags):
  /// regularizers, constraints and other features strata does not have yet.
  void require_unset(std::initializer_list<const char*> keys, const std::string& why) const;

 private:
  const nlohmann::json& at(const std::string& key) const;
  [[noreturn]] void bad(const std::string& key, const std::string& expected) const;
  const nlohmann::json& config_;
  std::string class_name_;
};

}  // namespace strata
