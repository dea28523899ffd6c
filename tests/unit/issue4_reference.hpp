#pragma once
// The normalization, regularization and activation layer cases of keras_reference.json ("issue4_layers"):
// forward values, weights and full configs from real Keras 3, checked the same way for every family.
#include <functional>
#include <map>
#include <memory>

#include <strata/api/saving/registry.hpp>
#include <strata/layers/layers.hpp>

#include "keras_reference.hpp"

namespace strata::testing {

using LayerFactory4 = std::function<std::shared_ptr<Layer>()>;

/// `config` without the keys that name this particular instance.
inline nlohmann::json without_name(nlohmann::json config) {
  config.erase("name");
  return config;
}

/// Every case of `family`: strata's layer from `factories` gives Keras's output (and updated weights) for
/// Keras's input and weights, the same config as Keras's, and from_config(Keras's config) round-trips.
inline void check_issue4_family(const std::string& family, const std::map<std::string, LayerFactory4>& factories,
                                double rtol = 1e-5, double atol = 1e-5) {
  for (const auto& c : keras_reference().at("issue4_layers").at(family)) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto it = factories.find(name);
      REQUIRE_MESSAGE(it != factories.end(), "no C++ factory for reference case " << name);
      auto layer = it->second();
      CHECK(layer->class_name() == c.at("class_name"));
      Tensor x = tensor_from(c.at("input"));
      Shape per_sample = x.shape();
      per_sample[0] = -1;
      layer->ensure_built({per_sample});
      layer->set_weights(tensors_from(c.at("weights")));
      Tensor y = (*layer)(x, c.at("training").get<bool>());
      check_close(y, c.at("output"), rtol, atol, name + " output");
      auto after = layer->get_weights();
      REQUIRE(after.size() == c.at("weights_after").size());
      for (std::size_t i = 0; i < after.size(); ++i)
        check_close(after[i], c.at("weights_after")[i], 1e-5, 1e-6, name + " weight " + std::to_string(i));
      CHECK(without_name(layer->get_config()) == without_name(c.at("config")));
      // Keras's config through the registry, as loading a saved model reads it
      auto loaded = deserialize_layer({{"class_name", c.at("class_name")}, {"config", c.at("config")}});
      CHECK(loaded->class_name() == c.at("class_name"));
      loaded->ensure_built({per_sample});
      CHECK(loaded->get_config() == c.at("config"));
      loaded->set_weights(tensors_from(c.at("weights")));
      check_close((*loaded)(x, c.at("training").get<bool>()), c.at("output"), rtol, atol, name + " from_config");
    }
  }
}

/// Runs `f`, which must throw E whose message contains every one of `parts`.
template <class E, class F>
void check_throws_naming(F&& f, std::initializer_list<std::string> parts) {
  try {
    f();
    FAIL("expected an exception mentioning " << *parts.begin());
  } catch (const E& e) {
    const std::string m = e.what();
    for (const auto& p : parts) CHECK_MESSAGE(m.find(p) != std::string::npos, "'" << p << "' not in: " << m);
  }
}

}  // namespace strata::testing
