// The convolution layer family against real Keras 3 (tests/reference/keras_conv_reference.json, written by
// make_conv_reference.py): forward values in both data formats, weight layouts, configs, and bad arguments.
#include <doctest/doctest.h>

#include <fstream>
#include <tuple>

#include <strata/api/graph/autodiff.hpp>

#include <strata/api/saving/registry.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/layers.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
using nlohmann::json;

namespace {

const json& conv_reference() {
  static const json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/keras_conv_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/keras_conv_reference.json is missing");
    return json::parse(in);
  }();
  return ref;
}

Shape unbatched(Shape s) {
  s[0] = -1;
  return s;
}

/// Keras config keys whose values are the layer's own arguments (name and dtype policy aside).
bool argument_key(const std::string& key) { return key != "name" && key != "dtype" && key != "trainable"; }

void check_same_arguments(const json& strata_config, const json& keras_config, const std::string& what) {
  CHECK_MESSAGE(sorted_keys(strata_config) == sorted_keys(keras_config), what);
  for (auto it = keras_config.begin(); it != keras_config.end(); ++it)
    if (argument_key(it.key()) && strata_config.contains(it.key()))
      CHECK_MESSAGE(strata_config.at(it.key()) == it.value(),
                    what << " key " << it.key() << ": strata " << strata_config.at(it.key()).dump() << " vs keras "
                         << it.value().dump());
}

std::string message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("convolution layers match Keras 3 (from Keras's config, Keras's weights, both data formats)") {
  const auto& ref = conv_reference();
  CHECK(ref.at("backend") == "jax");
  for (const auto& c : ref.at("layers")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto layer = deserialize_layer({{"class_name", c.at("class_name")}, {"config", c.at("config")}});
      CHECK(layer->class_name() == c.at("class_name"));
      Tensor x = tensor_from(c.at("input"));
      layer->ensure_built({unbatched(x.shape())});
      // weights in Keras's order, names and layouts
      auto weights = layer->weights();
      REQUIRE(weights.size() == c.at("weights").size());
      for (std::size_t i = 0; i < weights.size(); ++i) {
        CHECK(weights[i]->name() == c.at("weight_names")[i]);
        CHECK(shape_str(weights[i]->shape()) == shape_str(shape_of(c.at("weights")[i])));
      }
      layer->set_weights(tensors_from(c.at("weights")));
      Tensor y = (*layer)(x);
      check_close(y, c.at("output"), 1e-5, 1e-5, name + " output");
      // the same through a model (symbolic graph, predict's program)
      Sequential model({Input(Shape(x.shape().begin() + 1, x.shape().end())), layer});
      check_close(model.predict(x), c.at("output"), 1e-5, 1e-5, name + " via predict");

      json config = layer->get_config();
      CHECK(sorted_keys(config) == c.at("config_keys").get<std::vector<std::string>>());
      check_same_arguments(config, c.at("config"), name + " get_config");
      // round trip: strata's own config rebuilds the same layer
      auto again = deserialize_layer({{"class_name", layer->class_name()}, {"config", config}});
      check_same_arguments(again->get_config(), config, name + " round trip");
    }
  }
}

TEST_CASE("convolution layers: the C++ constructors' defaults write Keras's default configs") {
  using namespace layers;
  const auto& d = conv_reference().at("default_configs");
  check_same_arguments(Conv1D(2, 3).get_config(), d.at("Conv1D"), "Conv1D");
  check_same_arguments(Conv2D(2, 3).get_config(), d.at("Conv2D"), "Conv2D");
  check_same_arguments(Conv3D(2, 3).get_config(), d.at("Conv3D"), "Conv3D");
  check_same_arguments(Conv1DTranspose(2, 3).get_config(), d.at("Conv1DTranspose"), "Conv1DTranspose");
  check_same_arguments(Conv2DTranspose(2, 3).get_config(), d.at("Conv2DTranspose"), "Conv2DTranspose");
  check_same_arguments(Conv3DTranspose(2, 3).get_config(), d.at("Conv3DTranspose"), "Conv3DTranspose");
  check_same_arguments(DepthwiseConv1D(3).get_config(), d.at("DepthwiseConv1D"), "DepthwiseConv1D");
  check_same_arguments(DepthwiseConv2D(3).get_config(), d.at("DepthwiseConv2D"), "DepthwiseConv2D");
  check_same_arguments(SeparableConv1D(2, 3).get_config(), d.at("SeparableConv1D"), "SeparableConv1D");
  check_same_arguments(SeparableConv2D(2, 3).get_config(), d.at("SeparableConv2D"), "SeparableConv2D");
}

TEST_CASE("convolution layers: C++ options give the Keras case's output") {
  using namespace layers;
  // the same layers as three reference cases, built with designated initializers instead of from_config
  auto run = [](std::shared_ptr<Layer> layer, const std::string& case_name) {
    const auto& c = find_case(conv_reference().at("layers"), case_name);
    Tensor x = tensor_from(c.at("input"));
    layer->ensure_built({unbatched(x.shape())});
    layer->set_weights(tensors_from(c.at("weights")));
    check_close((*layer)(x), c.at("output"), 1e-5, 1e-5, case_name);
  };
  run(std::make_shared<Conv1D>(3, 3, Conv1DOptions{.padding = "causal", .dilation_rate = 2, .activation = "tanh"}),
      "conv1d_causal_dilation2");
  run(std::make_shared<Conv2DTranspose>(
          2, SpatialSize{3, 4}, Conv2DTransposeOptions{.strides = {2, 3}, .padding = "same", .output_padding = {1, 2}}),
      "conv2d_transpose_same_output_padding");
  run(std::make_shared<DepthwiseConv2D>(
          3, DepthwiseConv2DOptions{.depth_multiplier = 2, .padding = "same", .data_format = "channels_first",
                                    .dilation_rate = 2}),
      "depthwise_conv2d_dilation2_same_cf");
  run(std::make_shared<SeparableConv2D>(3, SpatialSize{3, 2},
                                        SeparableConv2DOptions{.strides = 2, .data_format = "channels_first",
                                                               .depth_multiplier = 2}),
      "separable_conv2d_multiplier2_strides2_cf");
}

TEST_CASE("convolution layers: output shapes follow Keras (including conv_transpose lengths)") {
  using namespace layers;
  auto out = [](Layer&& l, Shape in) { return l.compute_output_shape({in}).at(0); };
  CHECK(out(Conv1D(4, 3, {.strides = 2, .padding = "causal"}), {-1, 9, 2}) == Shape{-1, 5, 4});
  CHECK(out(Conv2D(4, 3, {.data_format = "channels_first"}), {-1, 2, 9, 8}) == Shape{-1, 4, 7, 6});
  CHECK(out(Conv3D(4, 3, {.strides = 2, .padding = "same"}), {-1, 5, 6, 7, 1}) == Shape{-1, 3, 3, 4, 4});
  // keras deconv_output_length: valid (in-1)*s + max(k, s); same in*s; with output_padding (in-1)*s + k%2 + op
  // (same) or (in-1)*s + k + op (valid)
  CHECK(out(Conv1DTranspose(2, 3, {.strides = 2}), {-1, 5, 3}) == Shape{-1, 11, 2});
  CHECK(out(Conv1DTranspose(2, 2, {.strides = 4}), {-1, 5, 3}) == Shape{-1, 20, 2});
  CHECK(out(Conv2DTranspose(2, 3, {.strides = 3, .padding = "same"}), {-1, 4, 5, 3}) == Shape{-1, 12, 15, 2});
  CHECK(out(Conv2DTranspose(2, 4, {.strides = 3, .padding = "same", .output_padding = 2}), {-1, 4, 5, 3}) ==
        Shape{-1, 11, 14, 2});
  CHECK(out(Conv3DTranspose(2, 3, {.strides = 2, .output_padding = 1, .data_format = "channels_first"}),
            {-1, 3, 2, 3, 4}) == Shape{-1, 2, 6, 8, 10});
  CHECK(out(DepthwiseConv2D(3, {.depth_multiplier = 3}), {-1, 6, 5, 2}) == Shape{-1, 4, 3, 6});
  CHECK(out(SeparableConv1D(5, 3, {.padding = "same", .data_format = "channels_first"}), {-1, 2, 7}) ==
        Shape{-1, 5, 7});
}

TEST_CASE("convolution layers: bad arguments raise ValueError/ShapeError naming the layer and the values") {
  using namespace layers;
  CHECK_THROWS_AS(Conv1D(0, 3), ValueError);
  CHECK(message([] { Conv1D(-2, 3, {.name = "neg"}); }).find("neg") != std::string::npos);
  CHECK(message([] { Conv1D(-2, 3, {.name = "neg"}); }).find("filters=-2") != std::string::npos);
  CHECK_THROWS_AS(Conv3D(2, SpatialSize{3, 3}), ValueError);
  CHECK_THROWS_AS(Conv3D(2, -1), ValueError);
  CHECK_THROWS_AS(Conv2D(2, 3, {.padding = "causal"}), ValueError);  // causal is Conv1D's only
  std::string df = message([] { Conv1D(2, 3, {.data_format = "channels_middle", .name = "fmt"}); });
  CHECK(df.find("fmt") != std::string::npos);
  CHECK(df.find("channels_middle") != std::string::npos);
  CHECK_THROWS_AS(DepthwiseConv2D(3, {.data_format = "nhwc"}), ValueError);
  CHECK_THROWS_AS(Conv2DTranspose(2, 3, {.padding = "causal"}), ValueError);
  CHECK_THROWS_AS(Conv1DTranspose(2, 3, {.strides = 2, .dilation_rate = 2}), ValueError);
  std::string op = message([] { Conv2DTranspose(2, 3, {.strides = 2, .output_padding = 2, .name = "op"}); });
  CHECK(op.find("op") != std::string::npos);
  CHECK(op.find("output_padding=(2, 2)") != std::string::npos);
  CHECK_THROWS_AS(Conv2DTranspose(2, 3, {.output_padding = -1}), ValueError);
  CHECK_THROWS_AS(DepthwiseConv1D(3, {.depth_multiplier = 0}), ValueError);
  CHECK(message([] { DepthwiseConv1D(3, {.depth_multiplier = -1, .name = "dm"}); }).find("depth_multiplier=-1") !=
        std::string::npos);
  CHECK_THROWS_AS(SeparableConv2D(0, 3), ValueError);
  CHECK_THROWS_AS(SeparableConv2D(2, 3, {.depth_multiplier = 0}), ValueError);
  CHECK_THROWS_AS(Conv1D(3, 3, {.groups = 2}), ValueError);

  // kernel larger than a "valid" input, in either data format
  Conv1D big(2, 5, {.name = "too_big"});
  std::string tb = message([&] { big.ensure_built({{-1, 4, 1}}); });
  CHECK(tb.find("too_big") != std::string::npos);
  CHECK(tb.find("(5,)") != std::string::npos);
  CHECK_THROWS_AS(Conv2D(2, 3, {.data_format = "channels_first"}).ensure_built({{-1, 3, 2, 8}}), ShapeError);
  CHECK_THROWS_AS(DepthwiseConv2D(4).ensure_built({{-1, 3, 8, 2}}), ShapeError);
  CHECK_THROWS_AS(SeparableConv1D(2, 4, {.dilation_rate = 2}).ensure_built({{-1, 6, 2}}), ShapeError);
  // wrong rank, unknown channels, channels not divisible by groups
  CHECK_THROWS_AS(Conv3D(2, 3).ensure_built({{-1, 8, 8, 3}}), ShapeError);
  CHECK_THROWS_AS(Conv1DTranspose(2, 3).ensure_built({{-1, 8, 8, 3}}), ShapeError);
  CHECK_THROWS_AS(Conv2D(2, 3, {.data_format = "channels_first"}).ensure_built({{-1, -1, 8, 8}}), ShapeError);
  CHECK_THROWS_AS(Conv1D(4, 3, {.groups = 2}).ensure_built({{-1, 8, 3}}), ValueError);
  // an input whose channels differ from the built kernel's
  auto conv = share(Conv1D(2, 3));
  conv->ensure_built({{-1, 8, 3}});
  std::string ch = message([&] { (*conv)(Tensor(Shape{1, 8, 4})); });
  CHECK(ch.find(conv->name()) != std::string::npos);
}

TEST_CASE("channels_first convolution equals channels_last on transposed data (oneDNN's blocked layouts, odd channels)") {
  // channel counts that do not fill oneDNN's 16-wide blocks, for the reorders in and out of blocked layouts
  for (auto [in_c, out_c, groups] : {std::tuple{19, 21, 1}, std::tuple{18, 12, 3}, std::tuple{32, 32, 32}}) {
    CAPTURE(in_c);
    CAPTURE(groups);
    Shape xs{2, 9, 7, in_c}, ws{3, 2, in_c / groups, out_c};
    Tensor x(xs), w(ws);
    for (std::int64_t i = 0; i < x.size(); ++i) x.values()[i] = static_cast<float>((i * 37) % 101) / 50.0f - 1.0f;
    for (std::int64_t i = 0; i < w.size(); ++i) w.values()[i] = static_cast<float>((i * 53) % 89) / 44.0f - 1.0f;
    auto out = run_graph({x, w}, [&](std::vector<Value>& in) {
      ConvolutionAttrs a;
      a.strides = {2, 1};
      a.dilations = {1, 1};
      a.pad_begin = {1, 0};
      a.pad_end = {1, 1};
      a.groups = groups;
      Value y_last = ops::convolution(in[0], in[1], a);
      Value seed = ops::sqrt(ops::abs(y_last) + 1.0f);  // any gradient that is not uniform
      auto g_last = gradients(y_last, seed, {in[0], in[1]});
      a.channels_first = true;
      Value x_first = ops::transpose(in[0], {0, 3, 1, 2});
      Value y_first = ops::convolution(x_first, in[1], a);
      auto g_first = gradients(y_first, ops::transpose(seed, {0, 3, 1, 2}), {x_first, in[1]});
      return std::vector<Value>{y_last, ops::transpose(y_first, {0, 2, 3, 1}), g_last[0],
                                ops::transpose(g_first[0], {0, 2, 3, 1}), g_last[1], g_first[1]};
    });
    for (int k = 0; k < 3; ++k) {
      const auto& a = out[2 * k];
      const auto& b = out[2 * k + 1];
      REQUIRE(a.shape() == b.shape());
      double worst = 0;
      for (std::int64_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a.item(i) - b.item(i)) / (1.0 + std::abs(a.item(i))));
      CHECK_MESSAGE(worst < 1e-5, "output " << k << " differs by " << worst);
    }
  }
}
