#pragma once
// Keras class name -> layer factory: how saved configs become layers again. Every built-in layer is
// registered; register your own layers so models that contain them save and load:
//
//   class Scale : public strata::Layer {
//    public:
//     STRATA_LAYER(Scale)
//     static std::shared_ptr<Scale> from_config(const nlohmann::json& config);
//     nlohmann::json get_config() const override;  // what from_config reads back
//     ...
//   };
//   strata::register_layer<Scale>("Scale");   // or STRATA_REGISTER_LAYER(Scale) at namespace scope
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/layer.hpp>

namespace strata {

/// Builds a layer from its config (the "config" object of a serialized layer).
using LayerFactory = std::function<std::shared_ptr<Layer>(const nlohmann::json& config)>;

struct RegisterLayerOptions {
  /// Keras's register_keras_serializable package: the layer is written with registered_name
  /// "<package>><class_name>" and found under that name or its bare class name when loading.
  std::string package = "Custom";
};

/// Registers (or replaces) the factory for a Keras class name.
void register_layer(const std::string& class_name, LayerFactory factory, RegisterLayerOptions options = {});

/// Registers T, built by `T::from_config(config)` (returning a T or a std::shared_ptr<T>).
template <class T>
void register_layer(const std::string& class_name, RegisterLayerOptions options = {}) {
  register_layer(
      class_name,
      [](const nlohmann::json& config) -> std::shared_ptr<Layer> {
        auto made = T::from_config(config);
        if constexpr (std::is_convertible_v<decltype(made), std::shared_ptr<Layer>>) return made;
        else return std::make_shared<T>(std::move(made));
      },
      std::move(options));
}

/// Registers a custom layer when the program starts: STRATA_REGISTER_LAYER(MyLayer) at namespace scope.
#define STRATA_REGISTER_LAYER(T) \
  static const bool strata_layer_registered_##T = (::strata::register_layer<T>(#T), true)

/// Class names with a factory (built-ins and registered custom layers), sorted.
std::vector<std::string> registered_layers();
bool is_registered_layer(const std::string& class_name);

/// A layer from a serialized entry {"class_name", "config", ["registered_name", "module"]} of any Keras
/// dialect; models (Sequential, Functional, Model) included. UnsupportedError for an unknown class (the
/// message lists the supported ones and how to register a custom layer) and for Lambda layers.
std::shared_ptr<Layer> deserialize_layer(const nlohmann::json& entry);

/// Keras 3's serialized form of a layer: {"module", "class_name", "config", "registered_name"} plus
/// "build_config" once built. Models become "Sequential"/"Functional" entries.
nlohmann::json serialize_layer(const Layer& layer);

}  // namespace strata
