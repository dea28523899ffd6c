// Callbacks against real Keras 3: EarlyStopping, ReduceLROnPlateau and LearningRateScheduler driven by the same
// scripted logs as Keras's, CSVLogger files byte for byte, fit() with lr-changing callbacks and schedules, and
// training that a throwing callback ends cleanly (tests/reference/make_training_reference.py).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/saving/saving.hpp>
#include <strata/api/sequential.hpp>
#include <strata/callbacks/callbacks.hpp>
#include <strata/callbacks/python_format.hpp>
#include <strata/layers/core/dense.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
namespace cb = strata::callbacks;

namespace {

/// What the process writes to stdout (printf, std::cout and spdlog alike) while `f` runs.
template <class F>
std::string capture_stdout(F&& f) {
  std::cout.flush();
  std::fflush(stdout);
  const int saved = dup(1);
  std::FILE* tmp = std::tmpfile();
  dup2(fileno(tmp), 1);
  try {
    f();
  } catch (...) {
    std::cout.flush();
    std::fflush(stdout);
    dup2(saved, 1);
    close(saved);
    std::fclose(tmp);
    throw;
  }
  std::cout.flush();
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::rewind(tmp);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, tmp)) out.append(buf, n);
  std::fclose(tmp);
  return out;
}

Logs logs_from(const nlohmann::json& j) {
  Logs logs;
  for (const auto& [k, v] : j.items()) logs[k] = number(v);
  return logs;
}

Sequential scripted_model() {
  Sequential model({Input({1}), layers::Dense(1, {.use_bias = false})});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  return model;
}

struct DriveResult {
  int epochs_run = 0;
  std::vector<double> learning_rates;
  std::vector<std::optional<double>> logged;
  double final_weight = 0;
};

/// fit()'s hook sequence over scripted epoch logs, the weights set to the epoch index before each epoch ends
/// (as make_training_reference.py's drive()).
DriveResult drive(Callback& callback, const nlohmann::json& epoch_logs) {
  Sequential model = scripted_model();
  callback.set_model(&model);
  model.stop_training = false;
  callback.on_train_begin({});
  DriveResult r;
  for (std::size_t epoch = 0; epoch < epoch_logs.size(); ++epoch) {
    const int e = static_cast<int>(epoch);
    callback.on_epoch_begin(e, {});
    model.set_weights({Tensor::full({1, 1}, static_cast<float>(epoch))});
    Logs logs = logs_from(epoch_logs[epoch]);
    callback.on_epoch_end(e, logs);
    ++r.epochs_run;
    r.learning_rates.push_back(model.optimizer()->learning_rate());
    auto it = logs.find("learning_rate");
    r.logged.push_back(it == logs.end() ? std::nullopt : std::optional<double>(it->second));
    if (model.stop_training) break;
  }
  callback.on_train_end({});
  r.final_weight = model.get_weights()[0].at({0, 0});
  return r;
}

std::shared_ptr<Callback> make_callback(const std::string& cls, const nlohmann::json& o) {
  auto opt_double = [&](const char* key) -> std::optional<double> {
    if (o.contains(key) && !o.at(key).is_null()) return o.at(key).get<double>();
    return std::nullopt;
  };
  if (cls == "EarlyStopping")
    return std::make_shared<cb::EarlyStopping>(cb::EarlyStoppingOptions{
        .monitor = o.value("monitor", "val_loss"),
        .min_delta = o.value("min_delta", 0.0),
        .patience = o.value("patience", 0),
        .mode = o.value("mode", "auto"),
        .baseline = opt_double("baseline"),
        .restore_best_weights = o.value("restore_best_weights", false),
        .start_from_epoch = o.value("start_from_epoch", 0)});
  if (cls == "ReduceLROnPlateau")
    return std::make_shared<cb::ReduceLROnPlateau>(cb::ReduceLROnPlateauOptions{
        .monitor = o.value("monitor", "val_loss"),
        .factor = o.value("factor", 0.1),
        .patience = o.value("patience", 10),
        .mode = o.value("mode", "auto"),
        .min_delta = o.value("min_delta", 1e-4),
        .cooldown = o.value("cooldown", 0),
        .min_lr = o.value("min_lr", 0.0)});
  FAIL("unknown callback " << cls);
  return nullptr;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<float> vec(const Tensor& t) {
  auto v = t.values<float>();
  return {v.begin(), v.end()};
}

std::filesystem::path temp_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("strata_callbacks_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

Sequential fit_model(const nlohmann::json& ref) {
  Sequential model({Input({3}), layers::Dense(4, {.activation = "tanh"}), layers::Dense(2)});
  model.set_weights(tensors_from(keras_training_reference().at("trajectory").at("initial_weights")));
  return model;
}

}  // namespace

TEST_CASE("EarlyStopping and ReduceLROnPlateau decide at Keras's epochs") {
  for (const auto& c : keras_training_reference().at("callbacks")) {
    const std::string name = c.at("name"), cls = c.at("class_name");
    if (cls == "LearningRateScheduler") continue;
    SUBCASE(name.c_str()) {
      auto callback = make_callback(cls, c.at("options"));
      DriveResult r;
      std::string out = capture_stdout([&] { r = drive(*callback, c.at("logs")); });
      CHECK(r.epochs_run == c.at("epochs_run").get<int>());
      CHECK(r.final_weight == c.at("final_weight").get<double>());
      REQUIRE(r.learning_rates.size() == c.at("learning_rates").size());
      for (std::size_t i = 0; i < r.learning_rates.size(); ++i) {
        check_close(r.learning_rates[i], c.at("learning_rates")[i].get<double>(), 1e-7, 0,
                    name + " learning rate after epoch " + std::to_string(i));
        const auto& logged = c.at("logged_learning_rates")[i];
        CHECK(r.logged[i].has_value() == !logged.is_null());
        if (r.logged[i] && !logged.is_null())
          check_close(*r.logged[i], logged.get<double>(), 1e-7, 0, name + " logged learning_rate");
      }
      // a monitor that is never logged: one warning (Keras's text), not one per epoch
      const bool warned = c.at("warned");
      const auto first = out.find("which is not available");
      CHECK((first != std::string::npos) == warned);
      if (warned) CHECK(out.find("which is not available", first + 1) == std::string::npos);
    }
  }
}

TEST_CASE("LearningRateScheduler sets and logs Keras's rates") {
  const auto& refs = keras_training_reference().at("callbacks");
  cb::LearningRateScheduler halve([](int epoch, double lr) { return epoch >= 2 ? lr * 0.5 : lr; });
  cb::LearningRateScheduler by_epoch([](int epoch) { return 0.1 / (epoch + 1); });
  for (auto [name, callback] : {std::pair{"lrs_halve_after_2", &halve}, {"lrs_epoch_only", &by_epoch}}) {
    CAPTURE(name);
    const auto& c = find_case(refs, name);
    DriveResult r = drive(*callback, nlohmann::json::array({{{"loss", 1.0}}, {{"loss", 1.0}}, {{"loss", 1.0}},
                                                              {{"loss", 1.0}}, {{"loss", 1.0}}}));
    CHECK(r.epochs_run == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      check_close(r.learning_rates[i], c.at("learning_rates")[i].get<double>(), 1e-7, 0, "rate");
      REQUIRE(r.logged[i].has_value());
      check_close(*r.logged[i], c.at("logged_learning_rates")[i].get<double>(), 1e-7, 0, "logged rate");
    }
  }
}

TEST_CASE("CSVLogger writes Keras's file") {
  for (const auto& c : keras_training_reference().at("csv_logger")) {
    const std::string name = c.at("name");
    CAPTURE(name);
    auto path = temp_path(name + ".csv");
    std::filesystem::remove(path);
    const auto& o = c.at("options");
    for (const auto& run : c.at("runs")) {
      cb::CSVLogger logger(path.string(), {.separator = o.value("separator", ","), .append = o.value("append", false)});
      Sequential model = scripted_model();
      logger.set_model(&model);
      logger.on_train_begin({});
      for (std::size_t epoch = 0; epoch < run.size(); ++epoch) {
        Logs logs = logs_from(run[epoch]);
        logger.on_epoch_end(static_cast<int>(epoch), logs);
      }
      logger.on_train_end({});
    }
    CHECK(read_file(path) == c.at("content").get<std::string>());
    std::filesystem::remove(path);
  }
  CHECK_THROWS_AS(cb::CSVLogger("x.csv", {.separator = ";;"}), ValueError);
  cb::CSVLogger bad((temp_path("no_such_dir") / "sub" / "log.csv").string());
  CHECK_THROWS_AS(bad.on_train_begin({}), FileFormatError);
}

TEST_CASE("numbers print as Python's repr") {
  using cb::python_float_repr;
  CHECK(python_float_repr(0.5) == "0.5");
  CHECK(python_float_repr(1.0) == "1.0");
  CHECK(python_float_repr(0.1f) == "0.10000000149011612");
  CHECK(python_float_repr(1e-4) == "0.0001");
  CHECK(python_float_repr(1e-5) == "1e-05");
  CHECK(python_float_repr(1.5e-7) == "1.5e-07");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(1234567890123456.0) == "1234567890123456.0");
  CHECK(python_float_repr(123.456e200) == "1.23456e+202");
  CHECK(python_float_repr(-2.5) == "-2.5");
  CHECK(python_float_repr(-0.0) == "-0.0");
  CHECK(python_float_repr(0.0) == "0.0");
  CHECK(python_float_repr(std::nan("")) == "nan");
  CHECK(python_float_repr(-INFINITY) == "-inf");
}

TEST_CASE("fit with a LearningRateScheduler, a schedule or ReduceLROnPlateau follows Keras") {
  const auto& ref = keras_training_reference().at("fit");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  using namespace optimizers;
  struct Case {
    const char* name;
    OptimizerArg optimizer;
    std::vector<std::shared_ptr<Callback>> callbacks;
    int epochs;
  };
  std::vector<Case> cases;
  cases.push_back({"fit_lr_scheduler", SGD({.learning_rate = 0.2}),
                   {std::make_shared<cb::LearningRateScheduler>([](int, double lr) { return lr * 0.5; })}, 4});
  cases.push_back({"fit_exponential_decay", Adam({.learning_rate = schedules::ExponentialDecay(0.05, 3, 0.5)}), {}, 4});
  cases.push_back({"fit_reduce_lr_patience0", SGD({.learning_rate = 0.5}),
                   {std::make_shared<cb::ReduceLROnPlateau>(
                       cb::ReduceLROnPlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 0, .min_delta = 10.0})},
                   3});
  for (auto& k : cases) {
    CAPTURE(k.name);
    const auto& c = find_case(ref.at("cases"), k.name);
    Sequential model = fit_model(ref);
    model.compile({.optimizer = k.optimizer, .loss = "mse"});
    auto history = model.fit(x, y, {.batch_size = 4, .epochs = k.epochs, .verbose = 0, .callbacks = k.callbacks,
                                    .shuffle = false});
    CHECK(static_cast<int>(history->epoch.size()) == c.at("epochs_run").get<int>());
    CHECK(model.optimizer()->iterations() == c.at("iterations").get<std::int64_t>());
    auto w = model.get_weights();
    for (std::size_t i = 0; i < w.size(); ++i)
      check_close(w[i], c.at("weights")[i], 1e-5, 1e-7, std::string(k.name) + " weight " + std::to_string(i));
    for (const auto& [key, values] : c.at("history").items()) {
      REQUIRE_MESSAGE(history->history.count(key), key);
      const auto& got = history->history.at(key);
      REQUIRE(got.size() == values.size());
      for (std::size_t e = 0; e < got.size(); ++e)
        check_close(got[e], values[e].get<double>(), 1e-5, 1e-7, key + " at epoch " + std::to_string(e));
    }
    CHECK(history->history.size() == c.at("history").size());
  }
}

TEST_CASE("EarlyStopping in fit stops and restores the best epoch's weights") {
  const auto& ref = keras_training_reference().at("fit");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  Sequential model = fit_model(ref);
  // a learning rate this large diverges after a few epochs, so the validation loss turns up
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.6, .momentum = 0.9}), .loss = "mse"});
  std::vector<std::vector<Tensor>> weights;
  std::vector<double> val_losses;
  auto recorder = std::make_shared<cb::LambdaCallback>(cb::LambdaCallbackOptions{
      .on_epoch_end = [&](int, Logs& logs) {
        weights.push_back(model.get_weights());
        val_losses.push_back(logs.at("val_loss"));
      }});
  auto stopper = std::make_shared<cb::EarlyStopping>(cb::EarlyStoppingOptions{
      .patience = 2, .verbose = 1, .restore_best_weights = true});
  std::string out = capture_stdout([&] {
    model.fit(x, y, {.batch_size = 4, .epochs = 40, .verbose = 0, .callbacks = {recorder, stopper},
                     .validation_data = std::pair{std::vector<Tensor>{x}, std::vector<Tensor>{y}}, .shuffle = false});
  });
  REQUIRE(val_losses.size() < 40);
  const auto best = std::min_element(val_losses.begin(), val_losses.end()) - val_losses.begin();
  CHECK(stopper->best_epoch() == best);
  CHECK(stopper->stopped_epoch() == static_cast<int>(val_losses.size()) - 1);
  CHECK(static_cast<std::size_t>(best) + 3 == val_losses.size());
  auto restored = model.get_weights();
  for (std::size_t i = 0; i < restored.size(); ++i)
    CHECK(vec(restored[i]) == vec(weights[static_cast<std::size_t>(best)][i]));
  CHECK(out.find("Epoch " + std::to_string(val_losses.size()) + ": early stopping") != std::string::npos);
  CHECK(out.find("Restoring model weights from the end of the best epoch: " + std::to_string(best + 1) + ".") !=
        std::string::npos);
}

TEST_CASE("a callback that throws ends fit with the model and files as of the last completed step") {
  const auto& ref = keras_training_reference().at("fit");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  auto path = temp_path("interrupted.csv");
  std::filesystem::remove(path);

  // the reference: the same training stopped cleanly after 2 epochs (4 steps)
  Sequential clean = fit_model(ref);
  clean.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "mse"});
  clean.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .shuffle = false});

  Sequential model = fit_model(ref);
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "mse"});
  struct Interrupt : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  auto csv = std::make_shared<cb::CSVLogger>(path.string());
  auto thrower = std::make_shared<cb::LambdaCallback>(cb::LambdaCallbackOptions{
      .on_train_batch_end = [&](std::int64_t batch, const Logs&) {
        if (model.optimizer()->iterations() == 5) throw Interrupt("stop at step 5");
      }});
  // the exception reaches the caller after the 5th step; the weights are those after it
  CHECK_THROWS_AS(model.fit(x, y, {.batch_size = 4, .epochs = 5, .verbose = 0, .callbacks = {csv, thrower},
                                   .shuffle = false}),
                  Interrupt);
  CHECK(model.optimizer()->iterations() == 5);
  clean.train_on_batch(x.slice(0, 4), y.slice(0, 4));
  auto a = model.get_weights(), b = clean.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(vec(a[i]) == vec(b[i]));
  // the CSV holds the header and the two completed epochs, each row whole
  std::string content = read_file(path);
  CHECK(content.rfind("epoch,loss,val_loss\r\n0,", 0) == 0);
  CHECK(std::count(content.begin(), content.end(), '\n') == 3);
  CHECK(content.substr(content.size() - 2) == "\r\n");
  // the model trains on afterwards
  CHECK_NOTHROW(model.fit(x, y, {.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false}));
  CHECK(model.optimizer()->iterations() == 7);
  std::filesystem::remove(path);
}

TEST_CASE("TerminateOnNaN stops at the first non-finite loss") {
  const auto& ref = keras_training_reference().at("fit");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  y.at({5, 0}) = std::nanf("");  // in the second batch
  Sequential model = fit_model(ref);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  std::shared_ptr<History> history;
  std::string out = capture_stdout([&] {
    history = model.fit(x, y, {.batch_size = 4, .epochs = 3, .verbose = 0,
                               .callbacks = {std::make_shared<cb::TerminateOnNaN>()}, .shuffle = false});
  });
  CHECK(out.find("Batch 1: Invalid loss, terminating training") != std::string::npos);
  CHECK(history->epoch.size() == 1);
  CHECK(model.optimizer()->iterations() == 2);
  CHECK(std::isnan(history->history.at("loss")[0]));

  Sequential strict = fit_model(ref);
  strict.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  CHECK_THROWS_AS(strict.fit(x, y, {.batch_size = 4, .epochs = 3, .verbose = 0,
                                    .callbacks = {std::make_shared<cb::TerminateOnNaN>(
                                        cb::TerminateOnNaNOptions{.raise_error = true})},
                                    .shuffle = false}),
                  Error);
}

TEST_CASE("callback arguments are validated") {
  CHECK_THROWS_AS(cb::EarlyStopping({.mode = "maximum"}), ValueError);
  CHECK_THROWS_AS(cb::ReduceLROnPlateau({.factor = 1.0}), ValueError);
  CHECK_THROWS_AS(cb::ReduceLROnPlateau({.mode = "lower"}), ValueError);
  CHECK(cb::lower_is_better("val_loss") == true);
  CHECK(cb::lower_is_better("val_accuracy") == false);
  CHECK(cb::lower_is_better("mae") == true);
  CHECK_FALSE(cb::lower_is_better("my_metric").has_value());
  // mode "auto" on a name with no known direction: Keras's ValueError at the first epoch end
  cb::EarlyStopping unknown({.monitor = "my_metric"});
  CHECK_THROWS_AS(drive(unknown, nlohmann::json::array({{{"my_metric", 1.0}}})), ValueError);
  // a learning rate that is a schedule cannot be overwritten by a callback
  Sequential model({Input({1}), layers::Dense(1)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = optimizers::schedules::ExponentialDecay(0.1, 5, 0.5)}),
                 .loss = "mse"});
  cb::LearningRateScheduler scheduler([](int, double lr) { return lr; });
  scheduler.set_model(&model);
  CHECK_THROWS_AS(scheduler.on_epoch_begin(0, {}), ValueError);
}

TEST_CASE("ModelCheckpoint saves Keras's files, with the weights of the epoch, saying what Keras says") {
  for (const auto& c : keras_training_reference().at("model_checkpoint")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      const auto dir = temp_path("checkpoint_" + name);
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      const auto& o = c.at("options");
      cb::ModelCheckpointOptions options{.monitor = o.value("monitor", "val_loss"),
                                         .verbose = o.value("verbose", 0),
                                         .save_best_only = o.value("save_best_only", false),
                                         .save_weights_only = o.value("save_weights_only", false),
                                         .mode = o.value("mode", "auto")};
      if (o.contains("save_freq")) options.save_freq = o.at("save_freq").get<std::int64_t>();
      if (o.contains("initial_value_threshold")) options.initial_value_threshold = o.at("initial_value_threshold");
      cb::ModelCheckpoint checkpoint((dir / c.at("filepath").get<std::string>()).string(), options);

      // fit()'s hooks, the weight set to epoch + batch / 100 at each batch and to the epoch at its end
      Sequential model = scripted_model();
      checkpoint.set_model(&model);
      const int batches = c.at("batches_per_epoch");
      std::string out = capture_stdout([&] {
        checkpoint.on_train_begin({});
        for (std::size_t epoch = 0; epoch < c.at("logs").size(); ++epoch) {
          const int e = static_cast<int>(epoch);
          checkpoint.on_epoch_begin(e, {});
          for (int b = 0; b < batches; ++b) {
            model.set_weights({Tensor::full({1, 1}, static_cast<float>(e + b / 100.0))});
            checkpoint.on_train_batch_begin(b, {});
            checkpoint.on_train_batch_end(b, {{"loss", 1.0 / (e * batches + b + 1)}});
          }
          model.set_weights({Tensor::full({1, 1}, static_cast<float>(e))});
          Logs logs = logs_from(c.at("logs")[epoch]);
          checkpoint.on_epoch_end(e, logs);
        }
        checkpoint.on_train_end({});
      });

      std::string without_dir = out;
      for (std::size_t at; (at = without_dir.find(dir.string() + "/")) != std::string::npos;)
        without_dir.erase(at, dir.string().size() + 1);
      // the warning is spdlog's line where Keras's is a Python warning: compare the rest
      const bool warned = without_dir.find("Can save best model only with") != std::string::npos;
      CHECK(warned == c.at("warned").get<bool>());
      if (!warned) CHECK(without_dir == c.at("stdout").get<std::string>());

      std::vector<std::pair<std::string, float>> saved;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        const std::string path = entry.path().string();
        const std::string relative = std::filesystem::relative(entry.path(), dir).string();
        Tensor weight;
        if (relative.ends_with(".weights.h5")) {
          Sequential m = scripted_model();
          m.load_weights(path);
          weight = m.get_weights()[0];
        } else {
          weight = load_model(path, {.compile = false})->get_weights()[0];
        }
        saved.emplace_back(relative, weight.at({0, 0}));
      }
      std::sort(saved.begin(), saved.end());
      REQUIRE(saved.size() == c.at("saved").size());
      for (std::size_t i = 0; i < saved.size(); ++i) {
        CHECK(saved[i].first == c.at("saved")[i].at("path").get<std::string>());
        CHECK(saved[i].second == c.at("saved")[i].at("weight").get<float>());
      }
      std::filesystem::remove_all(dir);
    }
  }
}

TEST_CASE("ModelCheckpoint in fit keeps the best epoch's weights") {
  const auto& ref = keras_training_reference().at("fit");
  Sequential model = fit_model(ref);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.3}), .loss = "mse"});
  const auto path = temp_path("fit_best.weights.h5");
  std::filesystem::remove(path);
  std::vector<std::vector<Tensor>> weights_at_epoch_end;
  auto snapshot = std::make_shared<cb::LambdaCallback>(cb::LambdaCallbackOptions{
      .on_epoch_end = [&](int, Logs&) { weights_at_epoch_end.push_back(model.get_weights()); }});
  const Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  auto history = model.fit(x, y, {.batch_size = 2, .epochs = 6, .verbose = 0,
                                  .callbacks = {std::make_shared<cb::ModelCheckpoint>(
                                                    path.string(), cb::ModelCheckpointOptions{
                                                                       .monitor = "loss",
                                                                       .save_best_only = true,
                                                                       .save_weights_only = true}),
                                                snapshot},
                                  .shuffle = false});
  const auto& losses = history->history.at("loss");
  const auto best = static_cast<std::size_t>(std::min_element(losses.begin(), losses.end()) - losses.begin());
  Sequential restored = fit_model(ref);
  restored.load_weights(path.string());
  const auto got = restored.get_weights();
  REQUIRE(got.size() == weights_at_epoch_end[best].size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(vec(got[i]) == vec(weights_at_epoch_end[best][i]));
  std::filesystem::remove(path);
}

TEST_CASE("Python's format(): the ModelCheckpoint templates") {
  // expected strings printed by CPython 3.11's format(value, spec)
  struct Case {
    cb::FormatValue value;
    const char* spec;
    const char* expected;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {
      {std::int64_t{5}, "02d", "05"}, {std::int64_t{123}, "02d", "123"}, {std::int64_t{7}, "", "7"},
      {std::int64_t{-42}, "+05d", "-0042"}, {std::int64_t{1234567}, ",", "1,234,567"},
      {std::int64_t{255}, "#x", "0xff"}, {std::int64_t{255}, "X", "FF"}, {std::int64_t{5}, "b", "101"},
      {std::int64_t{3}, ".2f", "3.00"}, {std::int64_t{12}, "e", "1.200000e+01"}, {0.123456, ".2f", "0.12"},
      {0.123456, "", "0.123456"}, {1e-05, "", "1e-05"}, {12345678.0, "", "12345678.0"}, {1e16, "", "1e+16"},
      {0.5, "10", "       0.5"}, {0.5, "<8.3f", "0.500   "}, {0.5, "^9.1f", "   0.5   "},
      {-0.25, "=+9.3f", "-   0.250"}, {0.00012345, ".3e", "1.234e-04"}, {1234.5, ".3", "1.23e+03"},
      {1.0, ".3", "1.0"}, {100.0, ".3", "1e+02"}, {1.2345e-05, "g", "1.2345e-05"},
      {123456789.0, "g", "1.23457e+08"}, {0.25, ".1%", "25.0%"}, {1234567.891, ",.2f", "1,234,567.89"},
      {std::nan(""), ".2f", "nan"}, {inf, "F", "INF"}, {-inf, "", "-inf"}, {0.1, "08.3f", "0000.100"},
      {2.5, "G", "2.5"}, {1e-10, ".4G", "1E-10"}, {std::int64_t{42}, "*>6", "****42"}, {0.3, "+.4", "+0.3"}};
  for (const auto& c : cases) CHECK(cb::python_format_value(c.value, c.spec) == c.expected);
  CHECK(cb::python_format("ckpt-{epoch:02d}-{val_loss:.2f}.h5", {{"epoch", std::int64_t{3}}, {"val_loss", 0.123456}}) ==
        "ckpt-03-0.12.h5");
  CHECK(cb::python_format("{{x}}-{loss!r:>12}|{epoch!s:<4}|", {{"loss", 0.1}, {"epoch", std::int64_t{7}}}) ==
        "{x}-         0.1|7   |");
  CHECK_THROWS_AS(cb::python_format("{val_acc:.2f}", {{"loss", 0.1}}), ValueError);
  CHECK_THROWS_AS(cb::python_format_value(0.5, "d"), ValueError);
  CHECK_THROWS_AS(cb::python_format_value(std::int64_t{5}, ".2d"), ValueError);
  CHECK_THROWS_AS(cb::python_format("a}b", {}), ValueError);
  CHECK_THROWS_AS(cb::python_format("{epoch", {{"epoch", std::int64_t{1}}}), ValueError);
}

TEST_CASE("ModelCheckpoint arguments and paths are validated as Keras does") {
  CHECK_THROWS_WITH_AS(cb::ModelCheckpoint("w.h5", {.save_weights_only = true}),
                       doctest::Contains("must end in `.weights.h5`"), ValueError);
  CHECK_THROWS_WITH_AS(cb::ModelCheckpoint("model.ckpt"), doctest::Contains("must end in `.keras`"), ValueError);
  CHECK_THROWS_AS(cb::ModelCheckpoint("m.keras", {.save_freq = std::string("batch")}), ValueError);
  CHECK_THROWS_AS(cb::ModelCheckpoint("m.keras", {.save_freq = std::int64_t{0}}), ValueError);
  CHECK_THROWS_AS(cb::ModelCheckpoint("m.keras", {.mode = "lowest"}), ValueError);
  Sequential model = scripted_model();
  // a metric the template names but the logs lack: Keras's "Failed to format this callback filepath"
  cb::ModelCheckpoint missing((temp_path("x") / "m-{val_acc:.2f}.keras").string());
  missing.set_model(&model);
  Logs logs{{"loss", 0.5}};
  CHECK_THROWS_WITH_AS(missing.on_epoch_end(0, logs), doctest::Contains("Failed to format this callback filepath"),
                       ValueError);
  // a path that is a directory
  const auto dir = temp_path("is_a_dir.keras");
  std::filesystem::create_directories(dir);
  cb::ModelCheckpoint into_dir(dir.string());
  into_dir.set_model(&model);
  CHECK_THROWS_WITH_AS(into_dir.on_epoch_end(0, logs), doctest::Contains("non-directory filepath"), FileFormatError);
  std::filesystem::remove_all(dir);
}
