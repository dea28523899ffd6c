// Every activation against real Keras 3 (keras.layers.Activation outputs in keras_reference.json).
#include <doctest/doctest.h>

#include <strata/api/activations.hpp>
#include <strata/layers/activation/activation.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

TEST_CASE("activations match Keras 3") {
  const auto& ref = keras_reference().at("activations");
  Tensor x = tensor_from(ref.at("input"));
  for (auto it = ref.at("outputs").begin(); it != ref.at("outputs").end(); ++it) {
    const std::string name = it.key();
    SUBCASE(name.c_str()) {
      // erf/tanh-based and exp-based functions differ from XLA's in the last float bits
      double rtol = 1e-5, atol = 1e-6;
      if (name == "gelu" || name == "mish" || name == "selu" || name == "elu" || name == "celu" ||
          name == "exponential" || name == "softplus" || name == "log_sigmoid" || name == "tanh_shrink" ||
          name == "log_softmax")
        rtol = 1e-4, atol = 1e-5;
      auto y = run_graph({x}, [&](std::vector<Value>& in) { return std::vector<Value>{ActivationFunction(name)(in[0])}; });
      check_close(y[0], it.value(), rtol, atol, name);
      layers::Activation layer(name);
      check_close(layer(x), it.value(), rtol, atol, name + " (layer)");
    }
  }
}

TEST_CASE("activation names resolve as Keras's") {
  CHECK(ActivationFunction("swish").name() == "silu");
  CHECK(ActivationFunction("hard_swish").name() == "hard_silu");
  CHECK(ActivationFunction().is_linear());
  CHECK(ActivationFunction("").is_linear());
  try {
    ActivationFunction("rellu");
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    std::string m = e.what();
    CHECK(m.find("rellu") != std::string::npos);
    CHECK(m.find("relu") != std::string::npos);
    CHECK(m.find("softmax") != std::string::npos);
  }
}
