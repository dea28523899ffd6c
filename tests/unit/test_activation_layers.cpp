// ReLU, LeakyReLU, PReLU, ELU, Softmax, Identity and the keras.activations functions with arguments against
// real Keras 3 (keras_reference.json), their gradients against finite differences, and their errors.
#include <doctest/doctest.h>

#include <strata/api/activations.hpp>

#include "issue4_reference.hpp"
#include "layer_gradient_check.hpp"

using namespace strata;
using namespace strata::testing;
using namespace strata::layers;

namespace {

template <class L, class... A>
LayerFactory4 make(A... args) {
  return [=] { return std::make_shared<L>(args...); };
}

const std::map<std::string, LayerFactory4>& factories() {
  static const std::map<std::string, LayerFactory4> f = {
      {"relu_default", make<ReLU>()},
      {"relu_max6", make<ReLU>(ReLUOptions{.max_value = 6.0})},
      {"relu_max_value", make<ReLU>(ReLUOptions{.max_value = 1.5})},
      {"relu_negative_slope", make<ReLU>(ReLUOptions{.negative_slope = 0.1})},
      {"relu_threshold", make<ReLU>(ReLUOptions{.threshold = 0.5})},
      {"relu_all_arguments", make<ReLU>(ReLUOptions{.max_value = 2.0, .negative_slope = 0.2, .threshold = 0.4})},
      {"leaky_relu_default", make<LeakyReLU>()},
      {"leaky_relu_0_1", make<LeakyReLU>(LeakyReLUOptions{.negative_slope = 0.1})},
      {"prelu", make<PReLU>()},
      {"prelu_shared_axes", make<PReLU>(PReLUOptions{.shared_axes = {1, 2}})},
      {"elu_default", make<ELU>()},
      {"elu_alpha", make<ELU>(ELUOptions{.alpha = 0.5})},
      {"softmax_default", make<Softmax>()},
      {"softmax_axis1", make<Softmax>(SoftmaxOptions{.axis = {1}})},
      {"softmax_axes_12", make<Softmax>(SoftmaxOptions{.axis = {1, 2}})},
      {"identity", make<Identity>()},
  };
  return f;
}

/// A layer applying one function, for the functions with arguments.
class FunctionLayer : public Layer {
 public:
  STRATA_LAYER(FunctionLayer)
  explicit FunctionLayer(std::function<Value(Value)> f) : f_(std::move(f)) {}
  using Layer::build;
  using Layer::call;
  Value call(Value x, CallContext& ctx) override { return f_(x); }

 private:
  std::function<Value(Value)> f_;
};

/// keras.activations calls of make_layer_reference.py's issue4_function cases.
const std::map<std::string, std::function<Value(Value)>>& functions() {
  namespace a = activations;
  static const std::map<std::string, std::function<Value(Value)>> f = {
      {"relu_all", [](Value x) { return a::relu(x, 0.1f, 3.0f, 0.5f); }},
      {"relu_max6", [](Value x) { return a::relu(x, 0.0f, 6.0f); }},
      {"leaky_relu_0_1", [](Value x) { return a::leaky_relu(x, 0.1f); }},
      {"elu_alpha", [](Value x) { return a::elu(x, 0.5f); }},
      {"celu_alpha", [](Value x) { return a::celu(x, 0.7f); }},
      {"gelu_approximate", [](Value x) { return a::gelu(x, true); }},
      {"squareplus_b2", [](Value x) { return a::squareplus(x, 2.0f); }},
      {"soft_shrink_1", [](Value x) { return a::soft_shrink(x, 1.0f); }},
      {"hard_shrink_1", [](Value x) { return a::hard_shrink(x, 1.0f); }},
      {"threshold", [](Value x) { return a::threshold(x, 0.5f, -2.0f); }},
      {"glu_axis0", [](Value x) { return a::glu(x, 0); }},
      {"sparsemax_axis0", [](Value x) { return a::sparsemax(x, 0); }},
      {"softmax_axis0", [](Value x) { return a::softmax(x, 0); }},
      {"log_softmax_axis0", [](Value x) { return a::log_softmax(x, 0); }},
  };
  return f;
}

/// Values away from every kink of the functions tested (0, +-0.4, +-0.5, +-1, 2, 3, 6) by more than h.
Tensor kink_free_input(const Shape& s, std::uint64_t seed) {
  Tensor t(s);
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i) {
    float u = random::uniform(random::stream_key(seed, 2), i);
    float m = 0.08f + 0.3f * u;                  // magnitude within a kink-free band
    float band = static_cast<float>(i % 4);      // bands (0.08, 0.38), (1.08, ...), ...
    float x = m + (band == 1 ? 0.5f : band == 2 ? 1.0f : band == 3 ? 2.0f : 0.0f) + (band == 3 ? 1.0f : 0.0f);
    v[i] = (i / 4) % 2 ? -x : x;
  }
  return t;
}

}  // namespace

TEST_CASE("activation layers match Keras 3 (outputs, configs, from_config)") {
  check_issue4_family("activation", factories());
}

TEST_CASE("keras.activations with arguments match Keras 3") {
  const auto& ref = keras_reference();
  Tensor x = tensor_from(ref.at("activations").at("input"));
  for (const auto& c : ref.at("issue4_activation_functions")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto it = functions().find(name);
      REQUIRE_MESSAGE(it != functions().end(), "no C++ call for reference case " << name);
      auto y = run_graph({x}, [&](std::vector<Value>& in) { return std::vector<Value>{it->second(in[0])}; });
      // exp/erf/tanh-based functions differ from XLA's in the last float bits
      check_close(y[0], c.at("output"), 1e-5, 1e-5, name);
    }
  }
}

TEST_CASE("gradient: activation layers and functions against finite differences") {
  struct Case {
    std::string name;
    std::function<std::shared_ptr<Layer>()> make;
    Shape x;
  };
  std::vector<Case> cases = {
      {"ReLU", make<ReLU>(), {3, 8}},
      {"ReLU max_value", make<ReLU>(ReLUOptions{.max_value = 1.5}), {3, 8}},
      {"ReLU all arguments", make<ReLU>(ReLUOptions{.max_value = 2.5, .negative_slope = 0.2, .threshold = 0.4}), {3, 8}},
      {"LeakyReLU", make<LeakyReLU>(), {3, 8}},
      {"PReLU", make<PReLU>(PReLUOptions{.alpha_initializer = "random_normal"}), {2, 3, 4}},
      {"PReLU shared axes", make<PReLU>(PReLUOptions{.alpha_initializer = "random_normal", .shared_axes = {1}}),
       {2, 3, 4}},
      {"ELU", make<ELU>(ELUOptions{.alpha = 0.7}), {3, 8}},
      {"Softmax axis 1", make<Softmax>(SoftmaxOptions{.axis = {1}}), {2, 4, 3}},
      {"Softmax axes 1, 2", make<Softmax>(SoftmaxOptions{.axis = {1, 2}}), {2, 3, 4}},
  };
  for (const char* n : {"relu6", "hard_sigmoid", "hard_silu", "hard_tanh", "mish", "log_sigmoid", "log_softmax",
                        "softsign", "squareplus", "soft_shrink", "hard_shrink", "sparse_plus", "sparse_sigmoid",
                        "tanh_shrink", "celu", "selu", "gelu", "glu", "sparsemax", "exponential"})
    cases.push_back({n, [n] { return std::make_shared<Activation>(n); }, {3, 8}});
  cases.push_back({"threshold", [] { return std::make_shared<FunctionLayer>([](Value x) {
                     return activations::threshold(x, 0.5f, -2.0f); }); }, {3, 8}});
  cases.push_back({"celu alpha 0.7", [] { return std::make_shared<FunctionLayer>([](Value x) {
                     return activations::celu(x, 0.7f); }); }, {3, 8}});
  cases.push_back({"glu axis 0", [] { return std::make_shared<FunctionLayer>([](Value x) {
                     return activations::glu(x, 0); }); }, {4, 3}});
  cases.push_back({"sparsemax axis 0", [] { return std::make_shared<FunctionLayer>([](Value x) {
                     return activations::sparsemax(x, 0); }); }, {5, 3}});
  std::uint64_t seed = 40;
  for (const auto& c : cases) {
    SUBCASE(c.name.c_str()) {
      auto layer = c.make();
      check_layer_gradients(*layer, kink_free_input(c.x, seed), false, 2e-3);
    }
    ++seed;
  }
}

TEST_CASE("sparsemax: Keras 3's formula, including ties") {
  // every Keras backend computes tau from the sum of the support's cumulative sums; two equal maxima must split
  // exactly as a sort would order them
  Tensor x({2, 4}, std::vector<float>{1.0f, 1.0f, 0.2f, -1.0f, 0.5f, 0.4f, 0.3f, 0.1f});
  auto y = run_graph({x}, [](std::vector<Value>& in) { return std::vector<Value>{activations::sparsemax(in[0])}; });
  // row 0: sorted (1, 1, 0.2, -1), cumsum (1, 2, 2.2, 1.2), support (T, T, F, F), tau = (1 + 2 - 1) / 2 = 1
  // row 1: sorted as given, cumsum (0.5, 0.9, 1.2, 1.3): support (T, T, T, F), tau = (0.5 + 0.9 + 1.2 - 1) / 3
  const float tau1 = (0.5f + 0.9f + 1.2f - 1.0f) / 3.0f;
  std::vector<float> expected{0, 0, 0, 0, std::max(0.5f - tau1, 0.f), std::max(0.4f - tau1, 0.f), 0, 0};
  for (int i = 0; i < 8; ++i) CHECK(y[0].item(i) == doctest::Approx(expected[i]).epsilon(1e-6));
}

TEST_CASE("PReLU: alpha shaped input_shape[1:], 1 on shared axes") {
  PReLU p({.shared_axes = {1, 2}});
  p.ensure_built({{-1, 5, 6, 3}});
  REQUIRE(p.weights().size() == 1);
  CHECK(p.weights()[0]->name() == "alpha");
  CHECK(p.weights()[0]->shape() == Shape{1, 1, 3});
  CHECK(p.get_weights()[0].item(0) == 0.0);  // Keras's default initializer: zeros
}

TEST_CASE("activation layers: bad arguments raise errors naming the layer and the values") {
  check_throws_naming<ValueError>([] { ReLU({.max_value = -1.0, .name = "relu_neg_max"}); },
                                  {"relu_neg_max", "max_value", "-1"});
  check_throws_naming<ValueError>([] { ReLU({.negative_slope = -0.5, .name = "relu_neg_slope"}); },
                                  {"relu_neg_slope", "negative_slope=-0.5"});
  check_throws_naming<ValueError>([] { ReLU({.threshold = -2, .name = "relu_neg_threshold"}); },
                                  {"relu_neg_threshold", "threshold=-2"});
  check_throws_naming<ValueError>([] { LeakyReLU({.negative_slope = -0.1, .name = "leaky_neg"}); },
                                  {"leaky_neg", "negative_slope=-0.1"});
  {
    PReLU p({.shared_axes = {0}, .name = "prelu_axis0"});
    check_throws_naming<ValueError>([&] { p.ensure_built({{-1, 3, 4}}); }, {"prelu_axis0", "shared_axes", "(0,)"});
  }
  {
    Softmax s({.axis = {3}, .name = "softmax_axis3"});
    check_throws_naming<ShapeError>([&] { s(Tensor({2, 3})); }, {"softmax_axis3", "axis 3", "(2, 3)"});
  }
  check_throws_naming<ValueError>([] {
    run_graph({Tensor({2, 3})}, [](std::vector<Value>& in) { return std::vector<Value>{activations::glu(in[0])}; });
  }, {"glu", "even", "(2, 3)"});
  check_throws_naming<ValueError>([] { ActivationFunction("threshold"); }, {"threshold", "default_value"});
}

TEST_CASE("oneDNN eltwise activations fused into Dense equal the activation applied afterwards") {
  Tensor x({3, 5});
  for (std::int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = 0.37f * static_cast<float>(i % 11) - 1.9f;
  for (const char* name : {"mish", "hard_silu", "log_sigmoid", "elu", "gelu", "silu", "relu6", "celu"}) {
    CAPTURE(name);
    Dense fused(4, {.activation = name, .kernel_initializer = "glorot_uniform", .bias_initializer = "ones"});
    Tensor y = fused(x);
    Dense linear(4);
    linear.ensure_built({{-1, 5}});
    linear.set_weights(fused.get_weights());
    Activation act(name);
    Tensor expected = act(linear(x));
    for (std::int64_t i = 0; i < y.size(); ++i) CHECK(y.item(i) == doctest::Approx(expected.item(i)).epsilon(1e-5));
  }
}
