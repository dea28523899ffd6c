// The CTC loss (issue 5) against real Keras 3 (tests/reference/ctc_reference.json, written by
// make_ctc_reference.py): per-sample values, reductions, config and jax.grad's gradient; a fit that learns a
// labelling; Keras's rank checks and strata's shape checks.
#include <doctest/doctest.h>

#include <fstream>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/losses/losses.hpp>
#include <strata/api/saving/compile_config.hpp>
#include <strata/backends/ops/ops.hpp>
#include <strata/strata.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

const nlohmann::json& ctc_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/ctc_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/ctc_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// The loss from Keras's class name and config, through the compile-config deserialization load_model uses.
std::shared_ptr<Loss> loss_from_keras(const nlohmann::json& c) {
  static auto model = std::make_shared<Sequential>(Sequential({Input({3}), layers::Dense(3)}));
  nlohmann::json compile = {{"optimizer", "sgd"},
                            {"loss", {{"module", "keras.losses"}, {"class_name", c.at("class_name")},
                                      {"config", c.at("config")}, {"registered_name", nullptr}}}};
  return saving::compile_options_from(compile, *model).loss.items.at(0).get();
}

/// Runs `f` on (y_true, y_pred) in a graph and returns its ValueError message ("" when none).
std::string ctc_error(Shape true_shape, DType true_dtype, Shape pred_shape, DType pred_dtype) {
  Graph g;
  Value t = g.add_input(std::move(true_shape), true_dtype, "y_true");
  Value p = g.add_input(std::move(pred_shape), pred_dtype, "y_pred");
  try {
    losses::CTC()(t, p);
  } catch (const ValueError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("CTC loss matches Keras 3: values, reductions, config and gradient") {
  for (const auto& c : ctc_reference().at("ctc")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto loss = loss_from_keras(c);
      CHECK(loss->class_name() == "CTC");
      CHECK(loss->get_config() == c.at("config"));
      Tensor y_true = tensor_from(c.at("y_true"));
      REQUIRE(y_true.dtype() == loss->label_dtype());
      Tensor y_pred = tensor_from(c.at("y_pred"));
      Tensor weights = tensor_from(c.at("weights"));
      auto out = run_graph({y_true, y_pred, weights}, [&](std::vector<Value>& in) {
        Value per_sample = loss->call(in[0], in[1]);
        Value weighted = ops::sum(per_sample * in[2]);
        return std::vector<Value>{(*loss)(in[0], in[1]), per_sample, gradients(weighted, {in[1]}).at(0)};
      });
      // Keras works in float32 (about 1e-6 relative per step); strata's recursion runs in double
      check_close(out[0], c.at("value"), 2e-5, 1e-4, name + " value");
      check_close(out[1], c.at("per_sample"), 2e-5, 1e-4, name + " per sample");
      // where the soft epsilon decides (log-probabilities near -1e5), float32 leaves jax's gradient ~0.3% noise
      const double grad_rtol = name == "cannot_fit" ? 5e-3 : 1e-4;
      check_close(out[2], c.at("grad"), grad_rtol, 2e-5, name + " gradient");
    }
  }
  CHECK(sorted_keys(losses::CTC().get_config()) == ctc_reference().at("config_keys").get<std::vector<std::string>>());
}

TEST_CASE("CTC loss identifiers and compile config round trip") {
  CHECK(losses::get("ctc")->class_name() == "CTC");
  CHECK(losses::get("CTC")->name() == "ctc");
  CHECK(losses::get("ctc")->label_dtype() == DType::int32);
  auto model = std::make_shared<Sequential>(Sequential({Input({6, 3}), layers::Dense(4)}));
  model->compile({.optimizer = "adam", .loss = losses::CTC({.reduction = "sum", .name = "my_ctc"})});
  nlohmann::json config = saving::compile_config(*model);
  CHECK(config.at("loss").at("class_name") == "CTC");
  CompileOptions back = saving::compile_options_from(config, *model);
  CHECK(back.loss.items.at(0).get()->class_name() == "CTC");
  CHECK(back.loss.items.at(0).get()->get_config() == nlohmann::json{{"name", "my_ctc"}, {"reduction", "sum"}});
}

TEST_CASE("CTC loss rejects bad shapes and dtypes with ValueError naming them") {
  // Keras's own rank checks and wording
  std::string e = ctc_error({4, 3, 1}, DType::int32, {4, 8, 5}, DType::float32);
  CHECK(e.find("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)`") != std::string::npos);
  CHECK(e.find("y_true.shape=(4, 3, 1)") != std::string::npos);
  e = ctc_error({4, 3}, DType::int32, {4, 8}, DType::float32);
  CHECK(e.find("Logits `y_pred` are expected to be a tensor of shape") != std::string::npos);
  CHECK(e.find("y_pred.shape=(4, 8)") != std::string::npos);
  // labels longer than the time steps can never be emitted
  e = ctc_error({4, 9}, DType::int32, {4, 8, 5}, DType::float32);
  CHECK(e.find("y_true.shape=(4, 9)") != std::string::npos);
  CHECK(e.find("y_pred.shape=(4, 8, 5)") != std::string::npos);
  CHECK(e.find("8 time steps") != std::string::npos);
  e = ctc_error({3, 4}, DType::int32, {4, 8, 5}, DType::float32);
  CHECK(e.find("same batch size") != std::string::npos);
  CHECK(e.find("y_true.shape=(3, 4)") != std::string::npos);
  e = ctc_error({4, 3}, DType::int32, {4, 8, 5}, DType::int32);
  CHECK(e.find("y_pred.dtype=int32") != std::string::npos);
  CHECK(e.find("y_pred.shape=(4, 8, 5)") != std::string::npos);
  // labels exactly as long as the time steps are allowed; float labels are cast as Keras does
  CHECK(ctc_error({4, 8}, DType::int32, {4, 8, 5}, DType::float32).empty());
  CHECK(ctc_error({4, 8}, DType::float32, {4, 8, 5}, DType::float32).empty());
}

TEST_CASE("fit with the CTC loss learns a labelling") {
  // each sample's frames carry a noisy one-hot of its label sequence, each label held two frames, blanks between
  set_random_seed(3);
  const std::int64_t n = 16, time = 8, features = 4, max_labels = 3;
  std::vector<float> x(static_cast<std::size_t>(n * time * features), 0.0f);
  std::vector<std::int32_t> y(static_cast<std::size_t>(n * max_labels), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t length = 1 + i % max_labels;
    for (std::int64_t j = 0; j < length; ++j) {
      const std::int32_t label = static_cast<std::int32_t>(1 + (i * 7 + j * 3) % 3);
      y[i * max_labels + j] = label;
      for (std::int64_t t = 3 * j; t < 3 * j + 2; ++t) x[(i * time + t) * features + label] = 1.0f;
    }
    for (std::int64_t t = 0; t < time; ++t)
      if (x[(i * time + t) * features + 1] + x[(i * time + t) * features + 2] + x[(i * time + t) * features + 3] == 0)
        x[(i * time + t) * features] = 1.0f;
  }
  Tensor xs({n, time, features}, x), ys({n, max_labels}, y);
  Sequential model({Input({time, features}), layers::Dense(8, {.activation = "tanh"}), layers::Dense(4)});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "ctc"});
  auto history = model.fit(xs, ys, {.batch_size = 8, .epochs = 40, .verbose = 0});
  const auto& losses = history->history.at("loss");
  MESSAGE("CTC loss " << losses.front() << " -> " << losses.back());
  CHECK(losses.front() > 5.0);
  CHECK(losses.back() < 0.1 * losses.front());
  // the evaluated loss is the mean per-sample CTC loss of the trained model
  auto evaluated = model.evaluate(xs, ys, {.batch_size = 16, .verbose = 0});
  CHECK(evaluated.at("loss") < 0.1 * losses.front());
}
