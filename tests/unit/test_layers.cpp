// Built-in layers against real Keras 3 outputs (tests/reference/keras_reference.json), their configs,
// and the errors bad arguments raise.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <memory>

#include <strata/api/losses/losses.hpp>
#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/layers.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
using nlohmann::json;

namespace {

using Factory = std::function<std::shared_ptr<Layer>()>;

template <class L, class... A>
Factory make(A... args) {
  return [=] { return std::make_shared<L>(args...); };
}

/// The same layers make_layer_reference.py builds, by case name.
const std::map<std::string, Factory>& layer_factories() {
  using namespace layers;
  static const std::map<std::string, Factory> f = {
      {"dense_2d", [] { return std::make_shared<Dense>(5); }},
      {"dense_2d_relu", [] { return std::make_shared<Dense>(6, DenseOptions{.activation = "relu"}); }},
      {"dense_3d_tanh", [] { return std::make_shared<Dense>(5, DenseOptions{.activation = "tanh"}); }},
      {"dense_no_bias_softmax",
       [] { return std::make_shared<Dense>(4, DenseOptions{.activation = "softmax", .use_bias = false}); }},
      {"conv2d_valid", [] { return std::make_shared<Conv2D>(4, 3); }},
      {"conv2d_same",
       [] { return std::make_shared<Conv2D>(4, 3, Conv2DOptions{.padding = "same", .activation = "relu"}); }},
      {"conv2d_strides2_same",
       [] { return std::make_shared<Conv2D>(3, 3, Conv2DOptions{.strides = 2, .padding = "same"}); }},
      {"conv2d_strides2_valid",
       [] { return std::make_shared<Conv2D>(3, SpatialSize{3, 2}, Conv2DOptions{.strides = {2, 1}}); }},
      {"conv2d_dilation2", [] { return std::make_shared<Conv2D>(3, 3, Conv2DOptions{.dilation_rate = 2}); }},
      {"conv2d_dilation2_same",
       [] { return std::make_shared<Conv2D>(2, 3, Conv2DOptions{.padding = "same", .dilation_rate = {2, 1}}); }},
      {"conv2d_groups2",
       [] { return std::make_shared<Conv2D>(6, 3, Conv2DOptions{.padding = "same", .groups = 2}); }},
      {"conv2d_7x5", [] { return std::make_shared<Conv2D>(3, SpatialSize{7, 5}, Conv2DOptions{.padding = "same"}); }},
      {"conv2d_7x5_valid_strides",
       [] { return std::make_shared<Conv2D>(2, SpatialSize{7, 5}, Conv2DOptions{.strides = 2}); }},
      {"max_pool_default", [] { return std::make_shared<MaxPooling2D>(); }},
      {"max_pool_3_s2_valid", [] { return std::make_shared<MaxPooling2D>(3, Pooling2DOptions{.strides = 2}); }},
      {"max_pool_3_s2_same",
       [] { return std::make_shared<MaxPooling2D>(3, Pooling2DOptions{.strides = 2, .padding = "same"}); }},
      {"max_pool_2x3_same",
       [] { return std::make_shared<MaxPooling2D>(SpatialSize{2, 3}, Pooling2DOptions{.padding = "same"}); }},
      {"avg_pool_2", [] { return std::make_shared<AveragePooling2D>(2); }},
      {"avg_pool_3_s2_valid", [] { return std::make_shared<AveragePooling2D>(3, Pooling2DOptions{.strides = 2}); }},
      {"avg_pool_3_s2_same",
       [] { return std::make_shared<AveragePooling2D>(3, Pooling2DOptions{.strides = 2, .padding = "same"}); }},
      {"avg_pool_2x3_same",
       [] { return std::make_shared<AveragePooling2D>(SpatialSize{2, 3}, Pooling2DOptions{.padding = "same"}); }},
      {"global_avg_pool", [] { return std::make_shared<GlobalAveragePooling2D>(); }},
      {"global_avg_pool_keepdims",
       [] { return std::make_shared<GlobalAveragePooling2D>(GlobalAveragePooling2DOptions{.keepdims = true}); }},
      {"batch_norm_inference", [] { return std::make_shared<BatchNormalization>(); }},
      {"batch_norm_inference_4d",
       [] { return std::make_shared<BatchNormalization>(BatchNormalizationOptions{.epsilon = 0.01}); }},
      {"batch_norm_training",
       [] { return std::make_shared<BatchNormalization>(BatchNormalizationOptions{.momentum = 0.9}); }},
      {"batch_norm_training_4d", [] { return std::make_shared<BatchNormalization>(); }},
      {"batch_norm_no_center_scale",
       [] { return std::make_shared<BatchNormalization>(BatchNormalizationOptions{.center = false, .scale = false}); }},
      {"batch_norm_no_center_scale_training",
       [] { return std::make_shared<BatchNormalization>(BatchNormalizationOptions{.center = false, .scale = false}); }},
      {"flatten", [] { return std::make_shared<Flatten>(); }},
      {"reshape", [] { return std::make_shared<Reshape>(Shape{4, 6}); }},
      {"reshape_infer", [] { return std::make_shared<Reshape>(Shape{-1, 3}); }},
      {"dropout_inference", [] { return std::make_shared<Dropout>(0.5); }},
  };
  return f;
}

Shape unbatched(Shape s) {
  s[0] = -1;
  return s;
}

}  // namespace

TEST_CASE("reference file records the Keras version it came from") {
  const auto& ref = keras_reference();
  CHECK(ref.at("keras_version").get<std::string>().rfind("3.", 0) == 0);
  CHECK(ref.at("backend") == "jax");
}

TEST_CASE("layers match Keras 3 outputs (eager calls)") {
  for (const auto& c : keras_reference().at("layers")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto it = layer_factories().find(name);
      REQUIRE_MESSAGE(it != layer_factories().end(), "no C++ factory for reference case " << name);
      auto layer = it->second();
      CHECK(layer->class_name() == c.at("class_name"));
      Tensor x = tensor_from(c.at("input"));
      layer->ensure_built({unbatched(x.shape())});
      layer->set_weights(tensors_from(c.at("weights")));
      Tensor y = (*layer)(x, c.at("training").get<bool>());
      check_close(y, c.at("output"), 1e-5, 1e-5, name + " output");
      auto after = layer->get_weights();
      REQUIRE(after.size() == c.at("weights_after").size());
      for (std::size_t i = 0; i < after.size(); ++i)
        check_close(after[i], c.at("weights_after")[i], 1e-5, 1e-6, name + " weight " + std::to_string(i));
      CHECK(sorted_keys(layer->get_config()) == c.at("config_keys").get<std::vector<std::string>>());
    }
  }
}

TEST_CASE("layers match Keras 3 through a Sequential model's predict") {
  const auto& c = find_case(keras_reference().at("layers"), "conv2d_same");
  const auto& d = find_case(keras_reference().at("layers"), "dense_3d_tanh");
  Tensor x = tensor_from(c.at("input"));
  auto conv = share(layers::Conv2D(4, 3, {.padding = "same", .activation = "relu"}));
  Sequential model({Input(Shape(x.shape().begin() + 1, x.shape().end())), conv});
  conv->set_weights(tensors_from(c.at("weights")));
  check_close(model.predict(x), c.at("output"), 1e-5, 1e-5, "conv2d_same via predict");

  Tensor x3 = tensor_from(d.at("input"));
  auto dense = share(layers::Dense(5, {.activation = "tanh"}));
  Sequential m3({Input({3, 4}), dense});
  dense->set_weights(tensors_from(d.at("weights")));
  check_close(m3.predict(x3), d.at("output"), 1e-5, 1e-5, "dense_3d via predict");
}

TEST_CASE("get_config keys equal Keras's for every layer") {
  using namespace layers;
  const auto& keys = keras_reference().at("layer_config_keys");
  std::vector<std::shared_ptr<Layer>> ls = {
      std::make_shared<Dense>(3),
      std::make_shared<Activation>("relu"),
      std::make_shared<Flatten>(),
      std::make_shared<Reshape>(Shape{2, -1}),
      std::make_shared<Dropout>(0.5),
      std::make_shared<Conv2D>(2, 3),
      std::make_shared<MaxPooling2D>(),
      std::make_shared<AveragePooling2D>(2),
      std::make_shared<GlobalAveragePooling2D>(),
      std::make_shared<BatchNormalization>(),
  };
  for (const auto& l : ls) {
    INFO(l->class_name());
    CHECK(sorted_keys(l->get_config()) == keys.at(l->class_name()).get<std::vector<std::string>>());
  }
}

TEST_CASE("get_config values follow Keras") {
  const auto& ref = keras_reference();
  json conv = layers::Conv2D(4, layers::SpatialSize{3, 5}, {.strides = 2, .padding = "same"}).get_config();
  for (const char* k : {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                        "activation", "use_bias", "kernel_initializer", "bias_initializer"})
    CHECK_MESSAGE(conv.at(k) == ref.at("conv2d_config").at(k), k);
  json pool = layers::MaxPooling2D(3, {.strides = 2}).get_config();
  for (const char* k : {"pool_size", "strides", "padding", "data_format"})
    CHECK_MESSAGE(pool.at(k) == ref.at("max_pooling2d_config").at(k), k);
  json drop = layers::Dropout(0.25, {.noise_shape = {-1, 1, 4}, .seed = 7}).get_config();
  for (const char* k : {"rate", "seed", "noise_shape"}) CHECK_MESSAGE(drop.at(k) == ref.at("dropout_config").at(k), k);
  CHECK(layers::Dense(3, {.activation = "swish"}).get_config().at("activation") == "silu");
  CHECK(layers::Reshape({2, -1}).get_config().at("target_shape") == json::array({2, -1}));
}

TEST_CASE("weights are created in Keras's order and shapes") {
  layers::BatchNormalization bn;
  bn.ensure_built({{-1, 4, 4, 3}});
  auto w = bn.weights();
  REQUIRE(w.size() == 4);
  CHECK(w[0]->path() == bn.name() + "/gamma");
  CHECK(w[1]->path() == bn.name() + "/beta");
  CHECK(w[2]->path() == bn.name() + "/moving_mean");
  CHECK(w[3]->path() == bn.name() + "/moving_variance");
  CHECK(bn.trainable_weights().size() == 2);
  CHECK(bn.get_weights()[3].values()[0] == 1.0f);

  layers::BatchNormalization no_scale({.scale = false});
  no_scale.ensure_built({{-1, 5}});
  REQUIRE(no_scale.weights().size() == 3);
  CHECK(no_scale.weights()[0]->name() == "beta");

  layers::Conv2D conv(8, layers::SpatialSize{7, 5}, {.groups = 2});
  conv.ensure_built({{-1, 12, 12, 6}});
  CHECK(conv.kernel()->shape() == Shape{7, 5, 3, 8});
  CHECK(conv.bias()->shape() == Shape{8});
  CHECK(conv.count_params() == 7 * 5 * 3 * 8 + 8);

  layers::Dense dense(4, {.use_bias = false});
  dense.ensure_built({{-1, 2, 3}});
  CHECK(dense.weights().size() == 1);
  CHECK(dense.kernel()->shape() == Shape{3, 4});
}

TEST_CASE("compute_output_shape follows Keras") {
  using namespace layers;
  auto out = [](Layer&& l, Shape in) {
    l.ensure_built({in});
    return l.compute_output_shape({in})[0];
  };
  CHECK(out(Conv2D(4, 3, {.strides = 2, .padding = "same"}), {-1, 9, 8, 2}) == Shape{-1, 5, 4, 4});
  CHECK(out(Conv2D(4, SpatialSize{7, 5}), {-1, 9, 8, 2}) == Shape{-1, 3, 4, 4});
  CHECK(out(MaxPooling2D(3, {.strides = 2, .padding = "same"}), {-1, 7, 8, 2}) == Shape{-1, 4, 4, 2});
  CHECK(out(Flatten(), {-1, 3, 4, 2}) == Shape{-1, 24});
  CHECK(out(Reshape({-1, 3}), {-1, 3, 4}) == Shape{-1, 4, 3});
  CHECK(out(GlobalAveragePooling2D({.keepdims = true}), {-1, 3, 4, 2}) == Shape{-1, 1, 1, 2});
  CHECK(out(Dense(5), {-1, 3, 4}) == Shape{-1, 3, 5});
}

TEST_CASE("bad layer arguments raise errors naming the layer and the values") {
  using namespace layers;
  auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THROWS_AS(Dense(0), ValueError);
  CHECK(message([] { Dense(-2, {.name = "bad_dense"}); }).find("bad_dense") != std::string::npos);
  CHECK_THROWS_AS(Dense(3, {.activation = "relu7"}), ValueError);
  CHECK(message([] { Dense(3, {.activation = "relu7"}); }).find("gelu") != std::string::npos);
  CHECK_THROWS_AS(Dense(3, {.kernel_initializer = "glorot"}), ValueError);

  CHECK_THROWS_AS(Conv2D(0, 3), ValueError);
  CHECK_THROWS_AS(Conv2D(4, 0), ValueError);
  CHECK_THROWS_AS(Conv2D(4, SpatialSize{3, 3, 3}), ValueError);
  CHECK_THROWS_AS(Conv2D(4, 3, {.strides = {1, 0}}), ValueError);
  CHECK_THROWS_AS(Conv2D(5, 3, {.groups = 2}), ValueError);
  CHECK_THROWS_AS(Conv2D(4, 3, {.padding = "causal"}), ValueError);
  std::string df = message([] { Conv2D(4, 3, {.data_format = "channels_middle", .name = "c1"}); });
  CHECK(df.find("c1") != std::string::npos);
  CHECK(df.find("channels_last") != std::string::npos);
  std::string sd = message([] { Conv2D(4, 3, {.strides = 2, .dilation_rate = 2, .name = "c2"}); });
  CHECK(sd.find("c2") != std::string::npos);
  CHECK(sd.find("dilation_rate=(2, 2)") != std::string::npos);
  CHECK_THROWS_AS(Conv2D(4, 3, {.strides = 2, .dilation_rate = 2}), ValueError);
  Conv2D big(2, 5, {.name = "too_big"});
  std::string tb = message([&] { big.ensure_built({{-1, 4, 6, 1}}); });
  CHECK(tb.find("too_big") != std::string::npos);
  CHECK(tb.find("(5, 5)") != std::string::npos);
  CHECK_THROWS_AS(Conv2D(2, 5).ensure_built({{-1, 4, 6, 1}}), ShapeError);
  CHECK_THROWS_AS(Conv2D(2, 3, {.groups = 2}).ensure_built({{-1, 8, 8, 3}}), ValueError);
  CHECK_THROWS_AS(Conv2D(2, 3).ensure_built({{-1, 8, 3}}), ShapeError);

  CHECK_THROWS_AS(MaxPooling2D(0), ValueError);
  CHECK_THROWS_AS(MaxPooling2D(2, {.padding = "full"}), ValueError);
  CHECK_THROWS_AS(AveragePooling2D(5).ensure_built({{-1, 4, 4, 1}}), ShapeError);

  CHECK_THROWS_AS(Dropout(1.0), ValueError);
  CHECK_THROWS_AS(Dropout(-0.1), ValueError);
  CHECK(message([] { Dropout(1.5, {.name = "drop_x"}); }).find("drop_x") != std::string::npos);

  CHECK_THROWS_AS(Reshape({-1, -1}), ValueError);
  CHECK_THROWS_AS(Reshape({0, 2}), ValueError);
  CHECK_THROWS_AS(Reshape({5, 5}).ensure_built({{-1, 3, 4}}), ShapeError);
  CHECK_THROWS_AS(Reshape({-1, 5}).ensure_built({{-1, 3, 4}}), ShapeError);

  // any channel axis but the batch axis (channels_first is axis=1)
  CHECK_THROWS_AS(BatchNormalization({.axis = 0}).ensure_built({{-1, 4, 4, 3}}), ValueError);
  CHECK_THROWS_AS(BatchNormalization().ensure_built({{-1, 2, 2, 2, 2, 3}}), UnsupportedError);
  CHECK_THROWS_AS(BatchNormalization({.axis = 4}).ensure_built({{-1, 4, 4, 3}}), ValueError);
  BatchNormalization last({.axis = 3});
  CHECK_NOTHROW(last.ensure_built({{-1, 4, 4, 3}}));
}

TEST_CASE("Dropout: identity in inference, inverted dropout in training, a new mask each step") {
  Tensor x = Tensor::full({64, 32}, 2.0f);
  layers::Dropout drop(0.25, {.seed = 42});
  Tensor inference = drop(x);
  for (float v : inference.values()) REQUIRE(v == 2.0f);

  Tensor a = drop(x, true);
  int zeros = 0;
  for (float v : a.values()) {
    REQUIRE((v == 0.0f || std::abs(v - 2.0f / 0.75f) < 1e-5f));
    zeros += v == 0.0f;
  }
  double fraction = zeros / double(x.size());
  CHECK(fraction > 0.18);
  CHECK(fraction < 0.32);

  Tensor b = drop(x, true);
  int differ = 0;
  for (std::int64_t i = 0; i < x.size(); ++i) differ += a.values()[i] != b.values()[i];
  CHECK(differ > 0);

  layers::Dropout same_seed(0.25, {.seed = 42});
  Tensor a2 = same_seed(x, true);
  for (std::int64_t i = 0; i < x.size(); ++i) REQUIRE(a.values()[i] == a2.values()[i]);

  layers::Dropout shared(0.5, {.noise_shape = {-1, 1}, .seed = 3});
  Tensor s = shared(x, true);
  for (std::int64_t r = 0; r < 64; ++r)
    for (std::int64_t col = 1; col < 32; ++col) REQUIRE(s.at({r, col}) == s.at({r, 0}));

  layers::Dropout none(0.0);
  CHECK(none(x, true).values()[0] == 2.0f);
}

TEST_CASE("SpatialSize accepts an int or a tuple") {
  layers::SpatialSize one = 3, two = {3, 5};
  CHECK(one.resolve(2, "", "kernel_size") == std::vector<std::int64_t>{3, 3});
  CHECK(two.resolve(2, "", "kernel_size") == std::vector<std::int64_t>{3, 5});
  CHECK_FALSE(layers::SpatialSize().has_value());
  CHECK_THROWS_AS(two.resolve(3, "", "kernel_size"), ValueError);
}

TEST_CASE("models of these layers train like Keras 3 (losses, metrics, weights, moving statistics)") {
  using namespace layers;
  auto make_model = [](const std::string& name) {
    if (name == "conv_bn_pool_dense_mse")
      return Sequential({Input({6, 6, 2}), Conv2D(3, 3, {.padding = "same"}), BatchNormalization({.momentum = 0.8}),
                         Activation("relu"), MaxPooling2D(2), Conv2D(2, 2), AveragePooling2D(2, {.padding = "same"}),
                         Flatten(), Dense(2)});
    if (name == "dense_softmax_sparse_cce")
      return Sequential({Input({4}), Dense(6, {.activation = "tanh"}), Dense(3, {.activation = "softmax"})});
    REQUIRE(name == "conv_gap_logits_cce");
    return Sequential({Input({7, 7, 2}), Conv2D(4, 3, {.strides = 2, .activation = "elu"}), BatchNormalization(),
                       GlobalAveragePooling2D(), Dense(3)});
  };
  auto make_options = [](const std::string& name) -> CompileOptions {
    if (name == "conv_bn_pool_dense_mse")
      return {.optimizer = optimizers::SGD({.learning_rate = 0.05}), .loss = "mse", .metrics = {"mae"}};
    if (name == "dense_softmax_sparse_cce")
      return {.optimizer = optimizers::SGD({.learning_rate = 0.2, .momentum = 0.5}),
              .loss = "sparse_categorical_crossentropy",
              .metrics = {"accuracy"}};
    return {.optimizer = optimizers::SGD({.learning_rate = 0.1}),
            .loss = losses::CategoricalCrossentropy({.from_logits = true}),
            .metrics = {"accuracy"}};
  };
  for (const auto& c : keras_reference().at("training")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Sequential model = make_model(name);
      model.set_weights(tensors_from(c.at("initial_weights")));
      model.compile(make_options(name));
      Tensor x = tensor_from(c.at("x")), y = tensor_from(c.at("y"));
      for (std::size_t step = 0; step < c.at("logs").size(); ++step) {
        auto logs = model.train_on_batch(x, y);
        for (auto it = c.at("logs")[step].begin(); it != c.at("logs")[step].end(); ++it) {
          REQUIRE_MESSAGE(logs.count(it.key()), "no log named " << it.key());
          check_close(logs.at(it.key()), it.value().get<double>(), 1e-5, 1e-6,
                      name + " " + it.key() + " at step " + std::to_string(step));
        }
        auto w = model.get_weights();
        REQUIRE(w.size() == c.at("weights")[step].size());
        for (std::size_t i = 0; i < w.size(); ++i)
          check_close(w[i], c.at("weights")[step][i], 1e-5, 1e-6,
                      name + " weight " + std::to_string(i) + " after step " + std::to_string(step));
      }
      check_close(model.predict(x), c.at("prediction"), 1e-5, 1e-6, name + " prediction");
    }
  }
}

TEST_CASE("Dropout inside fit: a new mask each step, none in predict") {
  using namespace layers;
  Sequential model({Input({16}), Dense(16), Dropout(0.5, {.seed = 11}), Dense(1)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.0}), .loss = "mse"});
  Tensor x = Tensor::full({8, 16}, 0.5f), y = Tensor::full({8, 1}, 1.0f);
  double first = model.train_on_batch(x, y).at("loss");
  double second = model.train_on_batch(x, y).at("loss");
  CHECK(first != second);
  Tensor p1 = model.predict(x), p2 = model.predict(x);
  CHECK(p1.to_vector() == p2.to_vector());
  Sequential plain({Input({16}), Dense(16), Dense(1)});
  plain.set_weights(model.get_weights());
  check_close(p1, nlohmann::json{{"shape", p1.shape()}, {"data", plain.predict(x).to_vector()}}, 1e-6, 1e-7,
              "predict without dropout");
}
