// strata's TensorBoard event files, read back by the real tensorboard package (tests/interop/check_tensorboard.py,
// run by tests/interop/run.sh): this case trains with TensorBoard callbacks and writes what the files must hold —
// the History, every batch's logs, the weights at each epoch end, the optimizer's iterations — to expected.json.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include <strata/strata.hpp>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("TensorBoard writes event files for the tensorboard reader") {
  const char* env = std::getenv("STRATA_TENSORBOARD_DIR");
  if (!env) {
    MESSAGE("STRATA_TENSORBOARD_DIR is not set: run tests/interop/run.sh");
    return;
  }
  const fs::path dir(env);
  fs::remove_all(dir);
  set_random_seed(3);
  const std::int64_t n = 40;  // 5 batches of 8 per epoch
  Tensor x(Shape{n, 5}), y(Shape{n}), vx(Shape{12, 5}), vy(Shape{12});
  for (std::int64_t i = 0; i < x.size(); ++i) x.values()[static_cast<std::size_t>(i)] = static_cast<float>((i * 37 % 23) - 11) / 7.0f;
  for (std::int64_t i = 0; i < n; ++i) y.values()[static_cast<std::size_t>(i)] = static_cast<float>(i % 3);
  for (std::int64_t i = 0; i < vx.size(); ++i) vx.values()[static_cast<std::size_t>(i)] = static_cast<float>((i * 11 % 17) - 8) / 5.0f;
  for (std::int64_t i = 0; i < 12; ++i) vy.values()[static_cast<std::size_t>(i)] = static_cast<float>((i + 1) % 3);

  json expected = {{"runs", json::object()}};
  auto run = [&](const std::string& name, callbacks::TensorBoardOptions options, bool validate) {
    Sequential model({Input({5}), layers::Dense(4, {.activation = "relu"}), layers::Dense(3, {.activation = "softmax"})},
                     "tb_" + name);
    model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.02}),
                   .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"}});
    json record = {{"batches", json::array()}, {"epochs", json::array()}, {"options", json::object()}};
    auto recorder = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
        .on_epoch_end =
            [&](int epoch, Logs&) {
              json weights = json::object();
              // Keras's weight.path: layers built by a Sequential carry its name
              for (const auto& layer : model.layers())
                for (const Variable* w : layer->weights())
                  weights[model.name() + "/" + w->path()] = w->value().to_vector<float>();
              record["epochs"].push_back({{"epoch", epoch},
                                          {"iterations", model.optimizer()->iterations()},
                                          {"learning_rate", model.optimizer()->learning_rate()},
                                          {"weights", weights}});
            },
        .on_train_batch_end = [&](std::int64_t, const Logs& logs) { record["batches"].push_back(json(logs)); }});
    record["options"] = {{"histogram_freq", options.histogram_freq},
                         {"write_steps_per_second", options.write_steps_per_second},
                         {"update_freq", std::holds_alternative<std::int64_t>(options.update_freq)
                                             ? json(std::get<std::int64_t>(options.update_freq))
                                             : json(std::get<std::string>(options.update_freq))}};
    auto tensorboard = std::make_shared<callbacks::TensorBoard>((dir / name).string(), options);
    FitOptions fit{.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {tensorboard, recorder}, .shuffle = false};
    if (validate) fit.validation_data = ValidationData(std::pair{vx, vy});
    auto history = model.fit(x, y, fit);
    record["history"] = history->history;
    record["model_json"] = json::parse(model.to_json());
    expected["runs"][name] = record;
  };
  run("batch2", {.histogram_freq = 1, .write_steps_per_second = true, .update_freq = std::int64_t{2}}, true);
  run("defaults", {}, false);
  run("every_batch", {.update_freq = std::string("batch")}, true);
  std::ofstream(dir / "expected.json") << expected.dump(1);
  // the files are complete on disk when fit returns
  for (const char* name : {"batch2/train", "batch2/validation", "defaults/train", "every_batch/validation"})
    CHECK(fs::is_directory(dir / name));
  CHECK_FALSE(fs::exists(dir / "defaults" / "validation"));
}
