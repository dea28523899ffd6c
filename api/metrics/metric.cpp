#include <strata/api/metrics/metrics.hpp>

#include <algorithm>
#include <functional>
#include <map>

namespace strata {

nlohmann::json Metric::get_config() const { return {{"name", name()}, {"dtype", "float32"}}; }

namespace metrics {

namespace {
using Factory = std::function<std::shared_ptr<Metric>(const std::string& name)>;
template <class M, class O>
Factory make() {
  return [](const std::string& name) {
    O options;
    options.name = name;
    return std::make_shared<M>(options);
  };
}

/// Keras 3's keras.metrics ALL_OBJECTS_DICT for the metrics strata has: class names, snake_case, aliases.
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> r = {
      {"BinaryAccuracy", make<BinaryAccuracy, BinaryAccuracyOptions>()},
      {"binary_accuracy", make<BinaryAccuracy, BinaryAccuracyOptions>()},
      {"CategoricalAccuracy", make<CategoricalAccuracy, CategoricalAccuracyOptions>()},
      {"categorical_accuracy", make<CategoricalAccuracy, CategoricalAccuracyOptions>()},
      {"SparseCategoricalAccuracy", make<SparseCategoricalAccuracy, SparseCategoricalAccuracyOptions>()},
      {"sparse_categorical_accuracy", make<SparseCategoricalAccuracy, SparseCategoricalAccuracyOptions>()},
      {"MeanSquaredError", make<MeanSquaredError, MeanSquaredErrorOptions>()},
      {"mean_squared_error", make<MeanSquaredError, MeanSquaredErrorOptions>()},
      {"mse", make<MeanSquaredError, MeanSquaredErrorOptions>()},
      {"MSE", make<MeanSquaredError, MeanSquaredErrorOptions>()},
      {"MeanAbsoluteError", make<MeanAbsoluteError, MeanAbsoluteErrorOptions>()},
      {"mean_absolute_error", make<MeanAbsoluteError, MeanAbsoluteErrorOptions>()},
      {"mae", make<MeanAbsoluteError, MeanAbsoluteErrorOptions>()},
      {"MAE", make<MeanAbsoluteError, MeanAbsoluteErrorOptions>()},
      {"BinaryCrossentropy", make<BinaryCrossentropy, BinaryCrossentropyOptions>()},
      {"binary_crossentropy", make<BinaryCrossentropy, BinaryCrossentropyOptions>()},
      {"bce", make<BinaryCrossentropy, BinaryCrossentropyOptions>()},
      {"BCE", make<BinaryCrossentropy, BinaryCrossentropyOptions>()},
      {"CategoricalCrossentropy", make<CategoricalCrossentropy, CategoricalCrossentropyOptions>()},
      {"categorical_crossentropy", make<CategoricalCrossentropy, CategoricalCrossentropyOptions>()},
      {"SparseCategoricalCrossentropy", make<SparseCategoricalCrossentropy, SparseCategoricalCrossentropyOptions>()},
      {"sparse_categorical_crossentropy",
       make<SparseCategoricalCrossentropy, SparseCategoricalCrossentropyOptions>()},
  };
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

std::vector<std::string> identifiers() {
  std::vector<std::string> names{"accuracy", "acc"};
  for (const auto& [k, v] : registry()) names.push_back(k);
  return names;
}

AccuracyKind resolve_accuracy(const Shape& y_true_shape, const Shape& y_pred_shape) {
  // keras.src.trainers.compile_utils.is_binary_or_sparse_categorical; an empty per-sample shape's last
  // dim is the batch dim, unknown (None) at compile time
  std::int64_t t_last = y_true_shape.empty() ? -1 : y_true_shape.back();
  std::int64_t p_last = y_pred_shape.empty() ? -1 : y_pred_shape.back();
  if (p_last == 1) return AccuracyKind::binary;
  if (y_true_shape.size() < y_pred_shape.size() || (t_last == 1 && p_last > 1)) return AccuracyKind::sparse_categorical;
  return AccuracyKind::categorical;
}

std::shared_ptr<Metric> get(const std::string& identifier, const std::string& loss_name, const Shape& y_true_shape,
                            const Shape& y_pred_shape) {
  std::string l = lower(identifier);
  if (l == "accuracy" || l == "acc") {
    switch (resolve_accuracy(y_true_shape, y_pred_shape)) {
      case AccuracyKind::binary: return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = identifier});
      case AccuracyKind::sparse_categorical:
        return std::make_shared<SparseCategoricalAccuracy>(SparseCategoricalAccuracyOptions{.name = identifier});
      case AccuracyKind::categorical:
        return std::make_shared<CategoricalAccuracy>(CategoricalAccuracyOptions{.name = identifier});
    }
  }
  auto it = registry().find(identifier);
  if (it == registry().end()) {
    std::string names;
    for (const auto& n : identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Could not interpret metric identifier: '" + identifier + "'. Valid identifiers: " + names);
  }
  return it->second(identifier);
}

}  // namespace metrics
}  // namespace strata
