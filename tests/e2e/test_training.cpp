// End to end: models train on synthetic separable data, graphs of every shape work, bad input fails clearly.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <thread>

#include <strata/backends/ops/random.hpp>
#include <strata/strata.hpp>

using namespace strata;

namespace {

/// n points in R^d; the label is argmax over `classes` fixed random directions: linearly separable.
std::pair<Tensor, Tensor> separable(std::int64_t n, std::int64_t d, std::int64_t classes, std::uint64_t seed) {
  Tensor x({n, d}), y({n}, DType::int32);
  std::uint64_t key = strata::random::stream_key(seed, 1);
  auto u = [&](std::uint64_t i) { return 2.0f * strata::random::uniform(key, i) - 1.0f; };
  std::vector<float> dirs(static_cast<std::size_t>(classes * d));  // the same classes for every seed
  for (std::size_t i = 0; i < dirs.size(); ++i) dirs[i] = 2.0f * strata::random::uniform(12345, i) - 1.0f;
  for (std::int64_t i = 0; i < n; ++i) {
    float best = -1e30f;
    for (std::int64_t k = 0; k < d; ++k) x.at({i, k}) = u(static_cast<std::uint64_t>(i * d + k));
    for (std::int64_t c = 0; c < classes; ++c) {
      float s = 0;
      for (std::int64_t k = 0; k < d; ++k) s += dirs[c * d + k] * x.at({i, k});
      if (s > best) {
        best = s;
        y.at<std::int32_t>({i}) = static_cast<std::int32_t>(c);
      }
    }
  }
  return {x, y};
}

/// 8x8 images, one bright 3x3 square in one of four quadrants (the label), plus noise.
std::pair<Tensor, Tensor> quadrants(std::int64_t n, std::uint64_t seed) {
  Tensor x({n, 8, 8, 1}), y({n}, DType::int32);
  std::uint64_t key = strata::random::stream_key(seed, 2);
  for (std::int64_t i = 0; i < n; ++i) {
    int q = static_cast<int>(strata::random::uniform(key, i) * 4) % 4;
    y.at<std::int32_t>({i}) = q;
    int r0 = (q / 2) * 4 + static_cast<int>(strata::random::uniform(key, n + i) * 2);
    int c0 = (q % 2) * 4 + static_cast<int>(strata::random::uniform(key, 2 * n + i) * 2);
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 8; ++c) {
        float noise = 0.3f * strata::random::uniform(key, 1000 * n + i * 64 + r * 8 + c);
        bool on = r >= r0 && r < r0 + 3 && c >= c0 && c < c0 + 3;
        x.at({i, r, c, 0}) = (on ? 1.0f : 0.0f) + noise;
      }
  }
  return {x, y};
}

Sequential make_mlp() {
  return Sequential({Input({10}), layers::Dense(32, {.activation = "relu"}), layers::Dense(3, {.activation = "softmax"})});
}

}  // namespace

TEST_CASE("an MLP reaches 0.95 accuracy on separable data in a fixed number of steps") {
  set_random_seed(1);
  auto [x, y] = separable(1024, 10, 3, 7);
  auto [xt, yt] = separable(512, 10, 3, 8);
  Sequential model = make_mlp();
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  auto history = model.fit(x, y, {.batch_size = 32, .epochs = 25, .verbose = 0});
  CHECK(history->history.at("loss").size() == 25);
  CHECK(history->history.at("loss").back() < history->history.at("loss").front());
  auto scores = model.evaluate(xt, yt, {.verbose = 0});
  CHECK(scores.at("accuracy") >= 0.95);
}

TEST_CASE("a small CNN with batch normalization reaches 0.95 accuracy") {
  set_random_seed(2);
  auto [x, y] = quadrants(512, 3);
  auto [xt, yt] = quadrants(256, 4);
  Sequential model({Input({8, 8, 1}), layers::Conv2D(8, 3, {.padding = "same"}), layers::BatchNormalization(),
                    layers::Activation("relu"), layers::MaxPooling2D(2), layers::Conv2D(16, 3, {.activation = "relu"}),
                    layers::GlobalAveragePooling2D(), layers::Dense(4, {.activation = "softmax"})});
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  model.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0});
  CHECK(model.evaluate(xt, yt, {.verbose = 0}).at("accuracy") >= 0.95);
}

TEST_CASE("two runs with the same seed give identical loss histories") {
  auto run = [] {
    set_random_seed(123);
    auto [x, y] = separable(256, 10, 3, 5);
    Sequential model({Input({10}), layers::Dense(16, {.activation = "tanh"}), layers::Dropout(0.2),
                      layers::Dense(3, {.activation = "softmax"})});
    model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
    return model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0})->history.at("loss");
  };
  auto a = run(), b = run();
  REQUIRE(a.size() == 3);
  CHECK(a == b);
}

TEST_CASE("functional model with two inputs, two outputs and loss_weights") {
  set_random_seed(3);
  auto in_a = Input({4}, {.name = "a"});
  auto in_b = Input({3}, {.name = "b"});
  auto ha = layers::Dense(8, {.activation = "relu"})(in_a);
  auto hb = layers::Dense(8, {.activation = "relu"})(in_b);
  auto unused = layers::Dense(8)(ha);  // a branch no output depends on is not part of the model
  (void)unused;
  auto shared = share(layers::Dense(8, {.activation = "tanh", .name = "shared"}));
  auto sa = (*shared)(ha), sb = (*shared)(hb);
  auto out1 = layers::Dense(1, {.name = "regression"})(sa);
  auto out2 = layers::Dense(2, {.activation = "softmax", .name = "classes"})(sb);
  Model model({in_a, in_b}, {out1, out2});
  CHECK(model.layers().size() == 7);  // 2 inputs, 2 branch Dense, the shared one, 2 heads
  model.compile({.optimizer = "adam", .loss = {"mse", "sparse_categorical_crossentropy"}, .loss_weights = {0.5f, 2.0f}});

  Tensor xa = Tensor::full({6, 4}, 0.5f), xb = Tensor::full({6, 3}, -0.25f);
  Tensor y1 = Tensor::full({6, 1}, 1.0f), y2({6}, DType::int32);
  auto logs = model.test_on_batch({xa, xb}, {y1, y2});
  REQUIRE(logs.count("regression_loss"));
  REQUIRE(logs.count("classes_loss"));
  CHECK(logs.at("loss") == doctest::Approx(0.5 * logs.at("regression_loss") + 2.0 * logs.at("classes_loss")).epsilon(1e-5));
  auto outs = model.predict({xa, xb});
  REQUIRE(outs.size() == 2);
  CHECK(outs[0].shape() == Shape{6, 1});
  CHECK(outs[1].shape() == Shape{6, 2});
  // the shared layer holds one set of weights, used by both branches
  CHECK(shared->get_weights().size() == 2);
  model.fit({xa, xb}, {y1, y2}, {.batch_size = 3, .epochs = 2, .verbose = 0});
}

TEST_CASE("a Sequential used inside a functional model") {
  set_random_seed(4);
  auto inner = share(Sequential({layers::Dense(6, {.activation = "relu"}), layers::Dense(2)}, "inner"));
  auto x = Input({5});
  auto y = layers::Activation("softmax")((*inner)(x));
  Model model(x, y);
  Tensor data = Tensor::full({3, 5}, 0.2f);
  Tensor via_model = model.predict(data);
  Tensor via_inner = inner->predict(data);
  for (std::int64_t i = 0; i < 3; ++i) {
    double e0 = std::exp(via_inner.at({i, 0})), e1 = std::exp(via_inner.at({i, 1}));
    CHECK(via_model.at({i, 0}) == doctest::Approx(e0 / (e0 + e1)).epsilon(1e-5));
  }
  CHECK(model.count_params() == 5 * 6 + 6 + 6 * 2 + 2);
}

TEST_CASE("an output not connected to the inputs is an error naming the layers") {
  auto a = Input({3});
  auto b = Input({3}, {.name = "other_input"});
  auto y = layers::Dense(2)(b);
  CHECK_THROWS_WITH_AS(Model(a, y), doctest::Contains("other_input"), ValueError);
}

TEST_CASE("bad input raises typed errors naming what is at fault") {
  Sequential model = make_mlp();
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  Tensor y({8}, DType::int32);
  SUBCASE("wrong input shape names the layer and both shapes") {
    try {
      model.fit(Tensor({8, 7}), y, {.verbose = 0});
      FAIL("no exception");
    } catch (const ShapeError& e) {
      std::string m = e.what();
      CHECK(m.find(model.name()) != std::string::npos);
      CHECK(m.find("(None, 10)") != std::string::npos);
      CHECK(m.find("(8, 7)") != std::string::npos);
    }
    CHECK_THROWS_AS(model.predict(Tensor({2, 11})), ShapeError);
  }
  SUBCASE("x and y of different lengths") {
    CHECK_THROWS_WITH_AS(model.fit(Tensor({8, 10}), Tensor({9}), {.verbose = 0}), doctest::Contains("'x' sizes: 8"),
                         ValueError);
  }
  SUBCASE("unknown names list the valid ones") {
    CHECK_THROWS_WITH_AS(model.compile({.optimizer = "adamm", .loss = "mse"}), doctest::Contains("adam"), ValueError);
    CHECK_THROWS_WITH_AS(model.compile({.optimizer = "adam", .loss = "msee"}), doctest::Contains("mean_squared_error"),
                         ValueError);
    CHECK_THROWS_WITH_AS(layers::Dense(3, {.activation = "rellu"}), doctest::Contains("relu"), ValueError);
  }
  SUBCASE("a NaN loss does not crash and stays NaN, as in Keras") {
    Sequential linear({Input({10}), layers::Dense(3, {.activation = "softmax"})});
    linear.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
    Tensor x = Tensor::full({8, 10}, std::nanf(""));
    auto history = linear.fit(x, y, {.batch_size = 4, .epochs = 1, .verbose = 0});
    CHECK(std::isnan(history->history.at("loss").back()));
  }
}

TEST_CASE("predict from several threads at once gives the single-threaded answer") {
  set_random_seed(5);
  Sequential model = make_mlp();
  auto [x, y] = separable(300, 10, 3, 9);
  Tensor expected = model.predict(x, {.batch_size = 64});
  std::vector<Tensor> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 5; ++rep) got[t] = model.predict(x, {.batch_size = 64});
    });
  for (auto& th : threads) th.join();
  for (const auto& g : got) CHECK(g.to_vector() == expected.to_vector());
  // model(x) and predict_on_batch agree with predict
  CHECK(model(x.slice(0, 5)).to_vector() == expected.slice(0, 5).to_vector());
  CHECK(model.predict_on_batch(x.slice(0, 5)).to_vector() == expected.slice(0, 5).to_vector());
}

TEST_CASE("callbacks see Keras's hooks and can stop training") {
  struct Recorder : Callback {
    std::vector<std::string> events;
    void on_train_begin(const Logs&) override { events.push_back("train_begin"); }
    void on_epoch_begin(int e, const Logs&) override { events.push_back("epoch_begin " + std::to_string(e)); }
    void on_train_batch_end(std::int64_t b, const Logs& logs) override {
      events.push_back("batch_end " + std::to_string(b));
      CHECK(logs.count("loss"));
      if (b == 1) model().stop_training = true;
    }
    void on_epoch_end(int e, Logs& logs) override {
      events.push_back("epoch_end " + std::to_string(e));
      CHECK(logs.count("val_loss"));
    }
    void on_train_end(const Logs&) override { events.push_back("train_end"); }
  };
  set_random_seed(6);
  Sequential model = make_mlp();
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
  auto [x, y] = separable(40, 10, 3, 10);
  auto recorder = std::make_shared<Recorder>();
  auto history = model.fit(x, y, {.batch_size = 8, .epochs = 5, .verbose = 0, .callbacks = {recorder}, .validation_split = 0.2f});
  std::vector<std::string> expected{"train_begin", "epoch_begin 0", "batch_end 0", "batch_end 1", "epoch_end 0", "train_end"};
  CHECK(recorder->events == expected);
  CHECK(history->epoch == std::vector<int>{0});
}

TEST_CASE("get_weights and set_weights use Keras layouts") {
  Sequential model({Input({3}), layers::Dense(2, {.name = "d"})});
  auto w = model.get_weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0].shape() == Shape{3, 2});  // kernel (in, units)
  CHECK(w[1].shape() == Shape{2});
  model.set_weights({tensor({{1, 2}, {3, 4}, {5, 6}}), tensor({0.5f, -0.5f})});
  Tensor out = model.predict(tensor({{1, 1, 1}}));
  CHECK(out.at({0, 0}) == doctest::Approx(9.5));
  CHECK(out.at({0, 1}) == doctest::Approx(11.5));
  CHECK_THROWS_AS(model.set_weights({tensor({{1, 2, 3}, {4, 5, 6}}), tensor({0.f, 0.f})}), ShapeError);
}

TEST_CASE("symbolic shapes: unknown spatial dims, unbuilt layers, Keras's dtype policy in configs") {
  auto x = Input({-1, -1, 3});
  auto y = layers::MaxPooling2D(3)(layers::Conv2D(4, 5, {.strides = 2})(x));
  CHECK(y.shape() == Shape{-1, -1, -1, 4});
  Model model(x, y);
  CHECK(model.predict(Tensor({2, 21, 17, 3})).shape() == Shape{2, 3, 2, 4});  // conv 9x7, pool 3x2

  layers::Dense dense(3);
  CHECK(dense.compute_output_shape({{-1, 5}}) == std::vector<Shape>{{-1, 3}});
  CHECK(dense.built());
  CHECK(dense.get_config().at("dtype").at("class_name") == "DTypePolicy");
  CHECK(dense.get_config().at("dtype").at("config").at("name") == "float32");
}

TEST_CASE("fit prints Keras's progress lines: one per epoch off a terminal, and verbose=2") {
  set_random_seed(8);
  Sequential model = make_mlp();
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  auto [x, y] = separable(64, 10, 3, 11);
  for (int verbose : {1, 2}) {
    std::ostringstream out;
    auto history = model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = verbose,
                                    .callbacks = {std::make_shared<ProgbarLogger>(out)}});
    std::string text = out.str();
    CAPTURE(text);
    CHECK(text.rfind("Epoch 1/2\n", 0) == 0);
    CHECK(text.find("Epoch 2/2\n") != std::string::npos);
    // one line per epoch, with the epoch's final loss, formatted %.4f as Keras does
    char loss[32];
    std::snprintf(loss, sizeof loss, "loss: %.4f", history->history.at("loss").back());
    CHECK(text.find(loss) != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 4);
    if (verbose == 1) CHECK(text.find("4/4\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━") != std::string::npos);
    if (verbose == 2) CHECK(text.find("4/4 - ") != std::string::npos);
    CHECK(text.find("accuracy: ") < text.find("loss: "));  // Keras 3 sorts the logs
  }
}

TEST_CASE("Sequential: input_shape of the first layer, add and pop") {
  Sequential model({layers::Dense(4, {.activation = "relu", .input_shape = {6}})});
  REQUIRE(model.inputs().size() == 1);
  CHECK(model.inputs()[0].shape() == Shape{-1, 6});
  model.add(layers::Dense(3));
  CHECK(model.outputs()[0].shape() == Shape{-1, 3});
  CHECK(model.predict(Tensor({5, 6})).shape() == Shape{5, 3});
  model.pop();
  CHECK(model.layers().size() == 1);
  CHECK(model.predict(Tensor({5, 6})).shape() == Shape{5, 4});
  CHECK_THROWS_AS(Sequential().pop(), ValueError);

  Sequential deferred({layers::Dense(2)});  // no input shape: built from the first data
  CHECK(deferred.inputs().empty());
  CHECK(deferred.predict(Tensor({3, 7})).shape() == Shape{3, 2});
  CHECK(deferred.inputs()[0].shape() == Shape{-1, 7});
}
