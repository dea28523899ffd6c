// Rescaling, Normalization (given, adapted from one tensor and from batches, inverted) and ConvNeXt's LayerScale and
// StochasticDepth against real Keras 3 (tests/reference/apps2_reference.json, make_apps2_reference.py): outputs,
// adapted weights and configs; gradients against finite differences; errors.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include <strata/api/saving/registry.hpp>
#include <strata/layers/layers.hpp>

#include "layer_gradient_check.hpp"

using namespace strata;
using namespace strata::layers;

namespace {

const nlohmann::json& apps2_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/apps2_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/apps2_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

const nlohmann::json& reference_case(const std::string& name) {
  for (const auto& c : apps2_reference().at("cases"))
    if (c.at("name") == name) return c;
  FAIL("no reference case named " << name);
  static nlohmann::json none;
  return none;
}

Tensor flat_tensor(const nlohmann::json& values, const nlohmann::json& shape) {
  return Tensor(shape.get<Shape>(), values.get<std::vector<float>>());
}

Tensor nested_tensor(const nlohmann::json& nested, const nlohmann::json& shape) {
  std::vector<float> flat;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& e) {
    if (e.is_array())
      for (const auto& x : e) walk(x);
    else
      flat.push_back(e.get<float>());
  };
  walk(nested);
  return Tensor(shape.get<Shape>(), flat);
}

void check_close(const Tensor& got, const nlohmann::json& expected, double rel = 1e-5, double abs_tol = 1e-5) {
  auto want = expected.get<std::vector<double>>();
  REQUIRE(static_cast<std::size_t>(got.size()) == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(std::fabs(got.item(static_cast<std::int64_t>(i)) - want[i]) <= abs_tol + rel * std::fabs(want[i]));
  }
}

/// The layer Keras's config describes, through the registry (class name -> from_config).
std::shared_ptr<Layer> from_keras(const std::string& class_name, const nlohmann::json& c) {
  return deserialize_layer({{"class_name", class_name}, {"config", c.at("config")}});
}

/// Runs the reference case on `layer` (adapting it first where Keras did) and compares everything Keras recorded.
void check_case(Layer& layer, const nlohmann::json& c) {
  if (c.contains("adapt") || c.contains("adapt_batches")) {
    auto& norm = dynamic_cast<Normalization&>(layer);
    if (c.contains("adapt")) {
      norm.adapt(flat_tensor(c.at("adapt"), c.at("adapt_shape")));
    } else {
      std::vector<Tensor> batches;
      for (std::size_t i = 0; i < c.at("adapt_batches").size(); ++i)
        batches.push_back(flat_tensor(c.at("adapt_batches")[i], c.at("adapt_batch_shapes")[i]));
      norm.adapt(batches);
    }
  }
  Tensor x = nested_tensor(c.at("input"), c.at("input_shape"));
  Tensor y = layer(x);
  CHECK(y.shape() == c.at("output_shape").get<Shape>());
  check_close(y, c.at("output"), 1e-5, 1e-5);
  auto weights = layer.get_weights();
  REQUIRE(weights.size() == c.at("weights").size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    CAPTURE(i);
    CHECK(weights[i].shape() == c.at("weight_shapes")[i].get<Shape>());
    check_close(weights[i], c.at("weights")[i], 1e-5, 1e-6);
  }
  // every config key Keras writes, with Keras's values
  nlohmann::json mine = layer.get_config();
  for (const auto& [key, value] : c.at("config").items()) {
    if (key == "name") continue;
    CAPTURE(key);
    REQUIRE(mine.contains(key));
    if (value.is_number())
      CHECK(mine.at(key).get<double>() == doctest::Approx(value.get<double>()));
    else if (value.is_array() && !value.empty() && value[0].is_number_float())
      CHECK(mine.at(key).get<std::vector<double>>() == value.get<std::vector<double>>());
    else
      CHECK(mine.at(key) == value);
  }
}

}  // namespace

TEST_CASE("Rescaling matches Keras (scalar, offset, per channel) and round-trips its config") {
  for (const char* name : {"rescaling_scalar", "rescaling_offset", "rescaling_per_channel"}) {
    CAPTURE(name);
    const auto& c = reference_case(name);
    auto layer = from_keras("Rescaling", c);
    check_case(*layer, c);
    auto again = deserialize_layer(serialize_layer(*layer));
    check_case(*again, c);
  }
  Rescaling direct(1.0 / 127.5, -1.0);
  check_case(direct, reference_case("rescaling_offset"));
}

TEST_CASE("Normalization with given mean and variance matches Keras") {
  for (const char* name : {"normalization_given", "normalization_given_scalar", "normalization_given_invert"}) {
    CAPTURE(name);
    const auto& c = reference_case(name);
    auto layer = from_keras("Normalization", c);
    check_case(*layer, c);
    CHECK(layer->count_params() == 0);
  }
  Normalization direct({.mean = {1.0, -2.0}, .variance = {4.0, 0.25}, .invert = true});
  check_case(direct, reference_case("normalization_given_invert"));
}

TEST_CASE("Normalization.adapt computes Keras's mean and variance, and its weights use Keras's layout") {
  for (const char* name : {"normalization_adapt_last_axis", "normalization_adapt_none", "normalization_adapt_axes_12",
                           "normalization_adapt_batches", "normalization_adapt_invert"}) {
    CAPTURE(name);
    const auto& c = reference_case(name);
    auto layer = from_keras("Normalization", c);
    check_case(*layer, c);
    // mean, variance (kept axes' shape), count (int64 scalar): all non-trainable, all counted
    auto weights = layer->weights();
    REQUIRE(weights.size() == 3);
    CHECK(weights[0]->name() == "mean");
    CHECK(weights[1]->name() == "variance");
    CHECK(weights[2]->name() == "count");
    CHECK(weights[2]->dtype() == DType::int64);
    CHECK(layer->trainable_weights().empty());
  }
  Normalization direct({.axis = {1, 2}});
  check_case(direct, reference_case("normalization_adapt_axes_12"));
  CHECK(direct.count_params() == 6 + 6 + 1);
}

TEST_CASE("Normalization loads adapted weights with set_weights, as from a Keras file") {
  const auto& c = reference_case("normalization_adapt_last_axis");
  Normalization layer;
  layer.ensure_built({{-1, 4}});
  layer.set_weights({flat_tensor(c.at("weights")[0], c.at("weight_shapes")[0]),
                     flat_tensor(c.at("weights")[1], c.at("weight_shapes")[1]), Tensor(Shape{}, DType::int64)});
  Tensor y = layer(nested_tensor(c.at("input"), c.at("input_shape")));
  check_close(y, c.at("output"));
}

TEST_CASE("Normalization's input gradient matches finite differences") {
  Normalization layer({.mean = {0.5, -1.0, 2.0}, .variance = {4.0, 0.25, 1.5}});
  Tensor x(Shape{2, 3}, std::vector<float>{0.1f, -0.4f, 0.7f, 1.2f, 0.3f, -0.9f});
  testing::check_layer_gradients(layer, x, true);
  Normalization inverted({.mean = {0.5, -1.0, 2.0}, .variance = {4.0, 0.25, 1.5}, .invert = true});
  testing::check_layer_gradients(inverted, x, true);
}

TEST_CASE("Normalization rejects bad arguments with Keras's messages") {
  CHECK_THROWS_WITH_AS(Normalization({.mean = {1.0}}), doctest::Contains("both `mean` and `variance` must be set"),
                       ValueError);
  CHECK_THROWS_WITH_AS(Normalization({.mean = {1.0, 2.0}, .variance = {1.0}}),
                       doctest::Contains("must have the same shape"), ValueError);
  Normalization bad_axis({.axis = {3}});
  CHECK_THROWS_WITH_AS(bad_axis.adapt(Tensor(Shape{4, 2})), doctest::Contains("must be in the range [-ndim, ndim)"),
                       ValueError);
  Normalization given({.mean = {1.0}, .variance = {2.0}});
  CHECK_THROWS_AS(given.adapt(Tensor(Shape{4, 2})), ValueError);
  Normalization adapted;
  adapted.adapt(Tensor(Shape{4, 2}));
  CHECK_THROWS_WITH_AS(adapted.adapt(Tensor(Shape{4, 3})), doctest::Contains("incompatible shape"), ValueError);
  CHECK_THROWS_WITH_AS(adapted.adapt(std::vector<Tensor>{}), doctest::Contains("empty iterable"), ValueError);
}

TEST_CASE("LayerScale matches Keras, loads by class name and has the right gradients") {
  const auto& c = reference_case("layer_scale");
  auto layer = from_keras("LayerScale", c);
  layer->ensure_built({{-1, 3, 4}});
  layer->set_weights({flat_tensor(c.at("weights")[0], c.at("weight_shapes")[0])});
  check_case(*layer, c);
  LayerScale fresh(1e-6, 4);
  fresh.ensure_built({{-1, 4}});
  check_close(fresh.get_weights()[0], nlohmann::json(std::vector<double>(4, 1e-6)), 1e-6, 0);
  testing::check_layer_gradients(*layer, nested_tensor(c.at("input"), c.at("input_shape")), true);
  CHECK_THROWS_AS(LayerScale(0.1, 0), ValueError);
}

TEST_CASE("StochasticDepth is the identity in inference and drops whole samples in training") {
  const auto& c = reference_case("stochastic_depth_inference");
  auto layer = from_keras("StochasticDepth", c);
  check_case(*layer, c);
  StochasticDepth sd(0.5, {.seed = 7});
  Tensor ones = Tensor::full({200, 3, 4}, 1.0f);
  Tensor y = sd(ones, true);
  int dropped = 0;
  for (std::int64_t n = 0; n < 200; ++n) {
    const float first = y.item(n * 12);
    CHECK((first == 0.0f || first == doctest::Approx(2.0f)));  // kept samples scaled by 1 / keep_prob
    for (std::int64_t k = 1; k < 12; ++k) CHECK(y.item(n * 12 + k) == first);
    dropped += first == 0.0f;
  }
  CHECK(dropped > 70);  // binomial(200, 0.5): outside [70, 130] has probability < 1e-4
  CHECK(dropped < 130);
  CHECK_THROWS_WITH_AS(StochasticDepth(1.0), doctest::Contains("drop_path_rate"), ValueError);
}
