// Image preprocessing layers (Resizing, CenterCrop, RandomFlip/Rotation/Zoom/Translation/Crop/Contrast/Brightness)
// against real Keras 3 (tests/reference/preprocessing_reference.json, make_preprocessing_reference.py): forward
// values of the deterministic cases, configs, identity at inference, seeding, and argument errors.
#include <doctest/doctest.h>

#include <fstream>

#include <strata/api/losses/losses.hpp>
#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/saving/registry.hpp>
#include <strata/api/sequential.hpp>
#include <strata/backends/ops/random.hpp>
#include <strata/layers/layers.hpp>

#include "issue4_reference.hpp"
#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
using namespace strata::layers;

namespace {

const nlohmann::json& preprocessing_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/preprocessing_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/preprocessing_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

std::shared_ptr<Layer> layer_of(const nlohmann::json& c) {
  return deserialize_layer({{"class_name", c.at("class_name")}, {"config", c.at("config")}});
}

Tensor uniform_images(const Shape& s, std::uint64_t seed, float scale = 1.0f) {
  Tensor t(s);
  auto v = t.values<float>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * random::uniform(random::stream_key(seed, 9), i);
  return t;
}

bool equal(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  for (std::int64_t i = 0; i < a.size(); ++i)
    if (a.item(i) != b.item(i)) return false;
  return true;
}

/// Image n of a (N, ...) tensor as a flat list of float32 values (the reference's inputs are read as float32).
std::vector<float> image_values(const Tensor& t, std::int64_t n) {
  const std::int64_t per = t.size() / t.shape()[0];
  std::vector<float> v;
  for (std::int64_t i = 0; i < per; ++i) v.push_back(static_cast<float>(t.item(n * per + i)));
  return v;
}

std::vector<float> image_values(const nlohmann::json& j, std::int64_t n) {
  const auto& data = j.at("data");
  const auto per = static_cast<std::int64_t>(data.size()) / j.at("shape")[0].get<std::int64_t>();
  std::vector<float> v;
  for (std::int64_t i = 0; i < per; ++i) v.push_back(data[static_cast<std::size_t>(n * per + i)].get<float>());
  return v;
}

}  // namespace

TEST_CASE("image preprocessing layers reproduce Keras 3 (deterministic transforms, every fill mode)") {
  for (const auto& c : preprocessing_reference().at("layers")) {
    const std::string name = c.at("name");
    if (c.contains("alternatives")) continue;  // RandomFlip: checked below
    SUBCASE(name.c_str()) {
      auto layer = layer_of(c);
      Tensor y = (*layer)(tensor_from(c.at("input")), c.at("training").get<bool>());
      check_close(y, c.at("output"), 1e-4, 2e-4, name);
    }
  }
}

TEST_CASE("RandomFlip flips each image or leaves it, both outcomes occurring, as Keras") {
  for (const auto& c : preprocessing_reference().at("layers")) {
    if (!c.contains("alternatives")) continue;
    const std::string name = c.at("name");
    INFO(name);
    auto layer = layer_of(c);
    Tensor y = (*layer)(tensor_from(c.at("input")), true);
    REQUIRE(shape_str(y.shape()) == shape_str(shape_of(c.at("input"))));
    int kept = 0, flipped = 0;
    for (std::int64_t n = 0; n < y.shape()[0]; ++n) {
      const auto v = image_values(y, n);
      if (v == image_values(c.at("alternatives")[0], n)) ++kept;
      else if (v == image_values(c.at("alternatives")[1], n)) ++flipped;
      else FAIL("image " << n << " is neither the input nor its flip");
    }
    CHECK(kept + flipped == y.shape()[0]);
    CHECK(kept > 0);
    CHECK(flipped > 0);
  }
}

TEST_CASE("image preprocessing configs round trip with Keras's keys and values") {
  const auto& ref = preprocessing_reference();
  std::vector<nlohmann::json> all;
  for (const auto& c : ref.at("configs")) all.push_back(c);
  for (const auto& c : ref.at("layers")) all.push_back({{"class_name", c.at("class_name")}, {"config", c.at("config")}});
  for (const auto& c : all) {
    INFO(c.at("class_name").get<std::string>() << " " << c.at("config").dump());
    auto layer = layer_of(c);
    CHECK(layer->class_name() == c.at("class_name"));
    CHECK(layer->get_config() == c.at("config"));
  }
}

TEST_CASE("random image layers are the identity at inference and in predict") {
  Tensor x = uniform_images({3, 6, 8, 2}, 1, 255.0f);
  std::vector<std::shared_ptr<Layer>> random_layers = {
      share(RandomFlip()), share(RandomRotation(0.3)), share(RandomZoom(0.3)), share(RandomTranslation(0.2, 0.2)),
      share(RandomCrop(4, 5)), share(RandomContrast(0.5)), share(RandomBrightness(0.3))};
  for (auto& layer : random_layers) {
    INFO(layer->class_name());
    CHECK(equal((*layer)(x, false), x));
  }
  Sequential model({Input({6, 8, 2}), RandomFlip("horizontal", {.seed = 1}), RandomRotation(0.2, {.seed = 2}),
                    RandomZoom(0.2, {.seed = 3}), RandomTranslation(0.1, 0.1, {.seed = 4}), RandomCrop(4, 5),
                    RandomContrast(0.3, {.seed = 5}), RandomBrightness(0.1, {.seed = 6})});
  CHECK(equal(model.predict(x, {.verbose = 0}), x));
}

TEST_CASE("random image layers: the same seed gives the same draws, and each step draws afresh") {
  Tensor x = uniform_images({4, 7, 6, 3}, 2, 255.0f);
  auto pair = [&](auto make) {
    auto a = make(), b = make();
    std::vector<Tensor> steps;
    for (int step = 0; step < 4; ++step) {
      Tensor ya = (*a)(x, true), yb = (*b)(x, true);
      CHECK(equal(ya, yb));
      CHECK_FALSE(equal(ya, x));
      steps.push_back(ya);
    }
    int distinct = 0;
    for (int step = 1; step < 4; ++step) distinct += !equal(steps[step], steps[0]);
    CHECK(distinct > 0);
  };
  pair([] { return share(RandomRotation(0.3, {.seed = 17})); });
  pair([] { return share(RandomZoom(0.3, {.width_factor = Factor{-0.2, 0.4}, .seed = 17})); });
  pair([] { return share(RandomTranslation(0.3, {-0.1, 0.2}, {.fill_mode = "constant", .seed = 17})); });
  pair([] { return share(RandomContrast(0.5, {.seed = 17})); });
  pair([] { return share(RandomBrightness(0.5, {.seed = 17})); });
  pair([] { return share(RandomCrop(4, 3, {.seed = 17})); });
  Tensor many = uniform_images({32, 3, 3, 1}, 3);
  auto f1 = share(RandomFlip("horizontal", {.seed = 5})), f2 = share(RandomFlip("horizontal", {.seed = 5}));
  Tensor a = (*f1)(many, true);
  CHECK(equal(a, (*f2)(many, true)));
  CHECK_FALSE(equal(a, (*f1)(many, true)));
}

TEST_CASE("RandomCrop in training takes one window of the input, shared by the batch") {
  Tensor x = uniform_images({3, 9, 8, 2}, 4);
  RandomCrop layer(4, 5, {.seed = 1});
  for (int step = 0; step < 4; ++step) {
    Tensor y = layer(x, true);
    REQUIRE(y.shape() == Shape{3, 4, 5, 2});
    int windows = 0;
    for (std::int64_t top = 0; top + 4 <= 9; ++top)
      for (std::int64_t left = 0; left + 5 <= 8; ++left) {
        bool same = true;
        for (std::int64_t n = 0; n < 3 && same; ++n)
          for (std::int64_t i = 0; i < 4 && same; ++i)
            for (std::int64_t j = 0; j < 5 && same; ++j)
              for (std::int64_t c = 0; c < 2 && same; ++c)
                same = y.item(((n * 4 + i) * 5 + j) * 2 + c) == x.item(((n * 9 + top + i) * 8 + left + j) * 2 + c);
        windows += same;
      }
    CHECK(windows == 1);
  }
}

TEST_CASE("a model with augmentation layers trains: fit runs the random layers, the gradient stops at them") {
  Sequential model({Input({8, 8, 3}), RandomFlip("horizontal", {.seed = 1}), RandomRotation(0.1, {.seed = 2}),
                    RandomContrast(0.2, {.value_range = {0, 1}, .seed = 3}), Resizing(4, 4), Flatten(), Dense(2)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.01}), .loss = "mse"});
  Tensor x = uniform_images({8, 8, 8, 3}, 5), y = Tensor::zeros({8, 2});
  const double before = model.evaluate(x, y, {.verbose = 0}).at("loss");
  auto history = model.fit(x, y, {.batch_size = 4, .epochs = 3, .verbose = 0});
  CHECK(std::isfinite(model.evaluate(x, y, {.verbose = 0}).at("loss")));
  CHECK(model.evaluate(x, y, {.verbose = 0}).at("loss") < before);
}

TEST_CASE("a gradient through an augmentation layer raises UnsupportedError naming the layer") {
  Sequential model({Input({12}), Dense(48), Reshape({4, 4, 3}), RandomRotation(0.1, {.name = "rot_grad"}), Flatten(),
                    Dense(1)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.01}), .loss = "mse"});
  check_throws_naming<UnsupportedError>([&] { model.train_on_batch(Tensor({2, 12}), Tensor({2, 1})); },
                                        {"rot_grad", "affine_transform", "no gradient"});
}

TEST_CASE("image preprocessing layers: uint8 images are cast to float32, single images keep their rank") {
  Tensor x8({2, 4, 6, 1}, DType::uint8);
  auto* p = x8.data<std::uint8_t>();
  for (std::int64_t i = 0; i < x8.size(); ++i) p[i] = static_cast<std::uint8_t>(i * 7);
  CenterCrop crop(2, 2);
  Tensor y = crop(x8);
  REQUIRE(y.dtype() == DType::float32);
  CHECK(y.item(0) == static_cast<float>(static_cast<std::uint8_t>((1 * 6 + 2) * 7)));
  Tensor single = uniform_images({5, 6, 3}, 6);
  Resizing resize(3, 4);
  CHECK(resize(single).shape() == Shape{3, 4, 3});
}

TEST_CASE("image preprocessing layers: bad arguments raise ValueError naming the layer and the value") {
  check_throws_naming<ValueError>([] { RandomRotation(1.5, {.name = "rot"}); }, {"rot", "factor=1.5", "[-1, 1]"});
  check_throws_naming<ValueError>([] { RandomContrast({0.2, -0.3}, {.name = "con"}); }, {"con", "[0.2, -0.3]"});
  check_throws_naming<ValueError>([] { RandomBrightness(-1.2, {.name = "bri"}); }, {"bri", "factor=-1.2"});
  check_throws_naming<ValueError>([] { RandomZoom(-1.0, {.name = "zoo"}); }, {"zoo", "(-1.0, 1.0]", "-1"});
  check_throws_naming<ValueError>([] { RandomTranslation(0.1, 1.5, {.name = "tra"}); }, {"tra", "1.5"});
  check_throws_naming<ValueError>([] { Resizing(-3, 4, {.name = "res"}); }, {"res", "height=-3"});
  check_throws_naming<ValueError>([] { CenterCrop(3, 0, {.name = "cc"}); }, {"cc", "width=0"});
  check_throws_naming<ValueError>([] { RandomCrop(0, 2, {.name = "rc"}); }, {"rc", "height=0"});
  check_throws_naming<ValueError>([] { RandomFlip("diagonal", {.name = "fl"}); }, {"fl", "mode=diagonal"});
  check_throws_naming<ValueError>([] { RandomRotation(0.1, {.fill_mode = "mirror", .name = "rf"}); },
                                  {"rf", "mirror"});
  check_throws_naming<ValueError>([] { RandomZoom(0.1, {.interpolation = "cubic", .name = "zi"}); }, {"zi", "cubic"});
  check_throws_naming<ValueError>(
      [] { Resizing(3, 3, {.crop_to_aspect_ratio = true, .pad_to_aspect_ratio = true, .name = "both"}); },
      {"both", "pad_to_aspect_ratio"});
  check_throws_naming<ValueError>([] { Resizing(3, 3, {.interpolation = "cubic", .name = "ri"}); },
                                  {"ri", "interpolation=cubic"});
  check_throws_naming<UnsupportedError>([] { Resizing(3, 3, {.interpolation = "bicubic", .name = "rb"}); },
                                        {"rb", "bicubic"});
  {
    RandomFlip flip("horizontal", {.name = "rank"});
    check_throws_naming<ShapeError>([&] { flip(Tensor({2, 3}), true); }, {"rank", "rank 3"});
  }
}
