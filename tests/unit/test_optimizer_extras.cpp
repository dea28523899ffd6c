// Adafactor, the common optimizer arguments use_ema / ema_momentum / ema_overwrite_frequency /
// gradient_accumulation_steps / loss_scale_factor, LossScaleOptimizer and SwapEMAWeights against real Keras 3
// (tests/reference/make_optimizer_extras_reference.py): weights, EMA weights and optimizer state after every step.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/saving/compile_config.hpp>
#include <strata/api/saving/saving.hpp>
#include <strata/api/sequential.hpp>
#include <strata/callbacks/history.hpp>
#include <strata/callbacks/swap_ema_weights.hpp>
#include <strata/layers/core/dense.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

const nlohmann::json& extras_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/keras_optimizer_extras_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/keras_optimizer_extras_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

Sequential mlp() {
  Sequential model({Input({3}), layers::Dense(4, {.activation = "tanh"}), layers::Dense(2)});
  model.set_weights(tensors_from(extras_reference().at("initial_weights")));
  return model;
}

/// Keras numbers second and later instances ("adam_2", "sequential_3_dense_6") and Keras 3.15's variable paths
/// start with the model's name, strata's with the layer's; compare without both.
std::string unnumbered(const std::string& path) {
  return std::regex_replace(std::regex_replace(path, std::regex("_[0-9]+"), ""), std::regex("sequential_"), "");
}

void check_config(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& what) {
  INFO(what);
  std::vector<std::string> a_keys, e_keys;
  for (auto it = actual.begin(); it != actual.end(); ++it) a_keys.push_back(it.key());
  for (auto it = expected.begin(); it != expected.end(); ++it) e_keys.push_back(it.key());
  std::sort(a_keys.begin(), a_keys.end());
  std::sort(e_keys.begin(), e_keys.end());
  CHECK(a_keys == e_keys);
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    if (!actual.contains(it.key()) || it.key() == "name") continue;
    const auto& a = actual.at(it.key());
    if (it->is_number() && a.is_number())
      check_close(a.get<double>(), it->get<double>(), 1e-7, 0, what + "." + it.key());
    else if (it->is_object() && a.is_object())
      check_config(a, *it, what + "." + it.key());
    else
      CHECK_MESSAGE(a == *it, what << "." << it.key() << ": strata " << a.dump() << " vs keras " << it->dump());
  }
}

Optimizer& inner_of(Optimizer& opt) {
  if (auto* lso = dynamic_cast<optimizers::LossScaleOptimizer*>(&opt)) return *lso->inner_optimizer();
  return opt;
}

/// A tensor as the reference's {"shape", "data"}, to compare two strata tensors with check_close.
nlohmann::json json_of(const Tensor& t) {
  std::vector<double> data;
  for (std::int64_t i = 0; i < t.size(); ++i) data.push_back(t.item(i));
  return {{"shape", t.shape()}, {"data", data}};
}

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& suffix) {
    path = std::filesystem::temp_directory_path() /
           ("strata_optx_" + std::to_string(std::random_device{}()) + suffix);
  }
  ~TempFile() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("Adafactor, EMA, gradient accumulation, loss scaling and LossScaleOptimizer follow Keras step by step") {
  const auto& ref = extras_reference();
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  Tensor y_bad = Tensor::full(y.shape(), INFINITY);
  for (const auto& c : ref.at("trajectories")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      // built from the config Keras writes into compile_config, so deserialization is checked too
      std::shared_ptr<Optimizer> optimizer = saving::deserialize_optimizer(c.at("config"));
      Sequential model = mlp();
      model.compile({.optimizer = optimizer, .loss = "mse"});
      Optimizer& inner = inner_of(*optimizer);
      auto* lso = dynamic_cast<optimizers::LossScaleOptimizer*>(optimizer.get());
      for (std::size_t step = 0; step < c.at("steps").size(); ++step) {
        const auto& s = c.at("steps")[step];
        const bool bad = c.at("batches")[step] == "bad";
        const std::string at = name + " step " + std::to_string(step);
        auto logs = model.train_on_batch(x, bad ? y_bad : y);
        if (!s.at("loss").is_null()) check_close(logs.at("loss"), s.at("loss").get<double>(), 1e-5, 1e-6, at + " loss");
        auto w = model.get_weights();
        REQUIRE(w.size() == 4);
        for (std::size_t i = 0; i < w.size(); ++i)
          check_close(w[i], s.at("weights")[i], 1e-5, 1e-6, at + " weight " + std::to_string(i));
        CHECK_MESSAGE(inner.iterations() == s.at("iterations").get<std::int64_t>(), at);
        CHECK_MESSAGE(static_cast<std::int64_t>(inner.variables()[0]->scalar()) ==
                          s.at("stored_iterations").get<std::int64_t>(),
                      at);
        if (s.contains("ema")) {
          auto ema = inner.ema_variables();
          REQUIRE(ema.size() == 4);
          for (std::size_t i = 0; i < ema.size(); ++i)
            check_close(ema[i].second->value(), s.at("ema")[i], 1e-5, 1e-6, at + " ema " + std::to_string(i));
        }
        if (lso) {
          CHECK_MESSAGE(lso->dynamic_scale() == s.at("dynamic_scale").get<double>(), at);
          CHECK_MESSAGE(lso->step_counter() == s.at("step_counter").get<std::int64_t>(), at);
        }
      }
      // get_config writes what Keras writes into compile_config
      CHECK(optimizer->class_name() == c.at("config").at("class_name").get<std::string>());
      check_config(optimizer->get_config(), c.at("config").at("config"), name + " config");
      // optimizer.variables in Keras's order and names
      auto vars = optimizer->variables();
      const auto& paths = c.at("variables");
      REQUIRE(vars.size() == paths.size());
      for (std::size_t i = 0; i < vars.size(); ++i)
        CHECK_MESSAGE(unnumbered(vars[i]->path()) == unnumbered(paths[i].get<std::string>()),
                      vars[i]->path() << " vs keras " << paths[i].get<std::string>());

      // the whole state comes back from a .keras file, and training goes on identically
      TempFile file(".keras");
      model.save(file.path.string());
      auto loaded = load_model(file.path.string());
      REQUIRE(loaded->optimizer());
      CHECK(loaded->optimizer()->class_name() == optimizer->class_name());
      check_config(loaded->optimizer()->get_config(), optimizer->get_config(), name + " reloaded config");
      auto loaded_vars = loaded->optimizer()->variables();
      REQUIRE(loaded_vars.size() == vars.size());
      for (std::size_t i = 0; i < vars.size(); ++i) {
        CHECK(loaded_vars[i]->path() == vars[i]->path());
        check_close(loaded_vars[i]->value(), json_of(vars[i]->value()), 0, 0, name + " reloaded " + vars[i]->path());
      }
      model.train_on_batch(x, y);
      loaded->train_on_batch(x, y);
      auto a = model.get_weights(), b = loaded->get_weights();
      for (std::size_t i = 0; i < a.size(); ++i)
        check_close(b[i], json_of(a[i]), 0, 0, name + " step after reload");
    }
  }
}

TEST_CASE("SwapEMAWeights: fit's validation sees the EMA weights, and fit ends on them as Keras's does") {
  const auto& fit = extras_reference().at("fit");
  Tensor x = tensor_from(fit.at("x")), y = tensor_from(fit.at("y"));
  Tensor vx = tensor_from(fit.at("val_x")), vy = tensor_from(fit.at("val_y"));
  for (const auto& c : fit.at("cases")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Sequential model = mlp();
      model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1, .use_ema = true, .ema_momentum = 0.6}),
                     .loss = "mse"});
      auto swap = std::make_shared<callbacks::SwapEMAWeights>(
          callbacks::SwapEMAWeightsOptions{.swap_on_epoch = c.at("swap_on_epoch").get<bool>()});
      auto history = model.fit(x, y,
                               {.batch_size = 4,
                                .epochs = 3,
                                .verbose = 0,
                                .callbacks = {swap},
                                .validation_data = ValidationData(std::pair<Tensor, Tensor>{vx, vy}),
                                .shuffle = false});
      for (const char* key : {"loss", "val_loss"}) {
        const auto& expected = c.at("history").at(key);
        REQUIRE(history->history.at(key).size() == expected.size());
        for (std::size_t e = 0; e < expected.size(); ++e)
          check_close(history->history.at(key)[e], expected[e].get<double>(), 1e-5, 1e-6,
                      name + " " + key + " epoch " + std::to_string(e));
      }
      auto w = model.get_weights();
      for (std::size_t i = 0; i < w.size(); ++i) check_close(w[i], c.at("weights")[i], 1e-5, 1e-6, name + " weights");
      auto ema = model.optimizer()->ema_variables();
      for (std::size_t i = 0; i < ema.size(); ++i)
        check_close(ema[i].second->value(), c.at("ema")[i], 1e-5, 1e-6, name + " ema");
      check_close(model.evaluate(vx, vy, {.verbose = 0}).at("loss"), c.at("evaluate_after").get<double>(), 1e-5, 1e-6,
                  name + " evaluate after fit");
    }
  }
}

TEST_CASE("SwapEMAWeights swaps the averages in for evaluate and back after it") {
  const auto& ref = extras_reference();
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  Sequential model = mlp();
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05, .use_ema = true, .ema_momentum = 0.8}),
                 .loss = "mse"});
  for (int i = 0; i < 3; ++i) model.train_on_batch(x, y);
  auto trained = model.get_weights();
  std::vector<Tensor> averages;
  for (auto [variable, average] : model.optimizer()->ema_variables()) averages.push_back(average->value());
  const double with_trained = model.evaluate(x, y, {.verbose = 0}).at("loss");
  // the loss evaluate reports with the callback is the loss of the averages, computed here by hand
  Sequential by_hand = mlp();
  by_hand.set_weights(averages);
  by_hand.compile({.optimizer = "sgd", .loss = "mse"});
  const double with_averages = by_hand.evaluate(x, y, {.verbose = 0}).at("loss");
  CHECK(std::abs(with_averages - with_trained) > 1e-4);
  auto swap = std::make_shared<callbacks::SwapEMAWeights>();
  CHECK(model.evaluate(x, y, {.verbose = 0, .callbacks = {swap}}).at("loss") == doctest::Approx(with_averages).epsilon(1e-6));
  auto after = model.get_weights();
  for (std::size_t i = 0; i < after.size(); ++i)
    check_close(after[i], json_of(trained[i]), 0, 0, "weights restored after evaluate");

  Sequential plain = mlp();
  plain.compile({.optimizer = "adam", .loss = "mse"});
  plain.train_on_batch(x, y);
  CHECK_THROWS_WITH_AS(plain.evaluate(x, y, {.verbose = 0, .callbacks = {swap}}),
                       doctest::Contains("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer"),
                       ValueError);
}

TEST_CASE("invalid EMA, accumulation and learning-rate arguments raise ValueError worded like Keras") {
  using namespace optimizers;
  std::map<std::string, std::string> keras;
  for (const auto& e : extras_reference().at("errors")) keras[e.at("argument")] = e.at("message");
  CHECK_THROWS_WITH_AS(Adam({.use_ema = true, .ema_momentum = 1.5}), doctest::Contains(keras.at("ema_momentum").c_str()),
                       ValueError);
  CHECK_THROWS_WITH_AS(SGD({.gradient_accumulation_steps = 1}),
                       doctest::Contains(keras.at("gradient_accumulation_steps").c_str()), ValueError);
  CHECK_THROWS_WITH_AS(SGD({.use_ema = true, .ema_overwrite_frequency = -2}),
                       doctest::Contains(keras.at("ema_overwrite_frequency").c_str()), ValueError);
  CHECK_THROWS_AS(SGD({.gradient_accumulation_steps = 0}), ValueError);
  CHECK_THROWS_AS(Adafactor({.learning_rate = -0.1}), ValueError);
  CHECK_THROWS_AS(Adafactor({.use_ema = true, .ema_momentum = -0.01}), ValueError);
  CHECK_THROWS_AS(LossScaleOptimizer(SGD(), {.dynamic_growth_steps = 0}), ValueError);
  CHECK_THROWS_AS(LossScaleOptimizer(SGD(), {.initial_scale = -1}), ValueError);
  // ema_momentum is only checked with use_ema, as in Keras
  CHECK_NOTHROW(SGD({.ema_momentum = 2.0}));
  CHECK(optimizers::get("Adafactor")->class_name() == "Adafactor");
  CHECK(optimizers::get("adafactor")->get_config().at("beta_2_decay") == -0.8);
}

TEST_CASE("optimizer extras allocate nothing per step: every state variable exists once built") {
  const auto& ref = extras_reference();
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  Sequential model = mlp();
  auto opt = std::make_shared<optimizers::LossScaleOptimizer>(
      optimizers::Adafactor({.use_ema = true, .gradient_accumulation_steps = 2}));
  model.compile({.optimizer = OptimizerArg(std::shared_ptr<Optimizer>(opt)), .loss = "mse"});
  model.train_on_batch(x, y);
  auto before = opt->variables();
  std::vector<const void*> buffers;
  for (Variable* v : before) buffers.push_back(v->data());
  for (int i = 0; i < 3; ++i) model.train_on_batch(x, y);
  auto after = opt->variables();
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i]->data() == buffers[i]);
  // iteration, learning_rate, step_counter, dynamic_scale; adafactor's iteration, learning_rate, 4 averages,
  // 4 accumulators, (r, c, velocity) x 4
  CHECK(after.size() == 4 + 2 + 4 + 4 + 12);
}
