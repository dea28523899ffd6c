// Every loss against real Keras 3 (values and per-sample values in keras_reference.json).
#include <doctest/doctest.h>

#include <fstream>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/losses/losses.hpp>
#include <strata/backends/ops/ops.hpp>
#include <strata/api/saving/compile_config.hpp>
#include <strata/strata.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

/// A loss from Keras's class name and get_config, through strata's compile_config deserialization.
std::shared_ptr<Loss> loss_from_keras(const nlohmann::json& c) {
  static auto model = std::make_shared<Sequential>(Sequential({Input({3}), layers::Dense(3)}));
  nlohmann::json compile = {{"optimizer", "sgd"},
                            {"loss", {{"module", "keras.losses"}, {"class_name", c.at("class_name")},
                                      {"config", c.at("config")}, {"registered_name", nullptr}}}};
  return saving::compile_options_from(compile, *model).loss.items.at(0).get();
}

std::shared_ptr<Loss> make_loss(const nlohmann::json& c) {
  const std::string cls = c.at("class_name");
  const auto& cfg = c.at("config");
  // focal crossentropies, Dice, Tversky and the reductions (issue 5): every option is in Keras's config
  if (cfg.at("reduction") != "sum_over_batch_size" || cls == "BinaryFocalCrossentropy" ||
      cls == "CategoricalFocalCrossentropy" || cls == "Dice" || cls == "Tversky")
    return loss_from_keras(c);
  if (cls == "MeanSquaredError") return std::make_shared<losses::MeanSquaredError>();
  if (cls == "MeanAbsoluteError") return std::make_shared<losses::MeanAbsoluteError>();
  if (cls == "BinaryCrossentropy")
    return std::make_shared<losses::BinaryCrossentropy>(losses::BinaryCrossentropyOptions{
        .from_logits = cfg.at("from_logits"), .label_smoothing = cfg.at("label_smoothing")});
  if (cls == "CategoricalCrossentropy")
    return std::make_shared<losses::CategoricalCrossentropy>(losses::CategoricalCrossentropyOptions{
        .from_logits = cfg.at("from_logits"), .label_smoothing = cfg.at("label_smoothing")});
  if (cls == "SparseCategoricalCrossentropy")
    return std::make_shared<losses::SparseCategoricalCrossentropy>(
        losses::SparseCategoricalCrossentropyOptions{.from_logits = cfg.at("from_logits")});
  // the remaining simple losses (issue 5); Keras's config has no delta / axis, so the case name carries them
  const std::string name = c.at("name");
  if (cls == "MeanSquaredLogarithmicError") return std::make_shared<losses::MeanSquaredLogarithmicError>();
  if (cls == "MeanAbsolutePercentageError") return std::make_shared<losses::MeanAbsolutePercentageError>();
  if (cls == "Huber") return std::make_shared<losses::Huber>(losses::HuberOptions{.delta = name == "huber_delta" ? 0.5 : 1.0});
  if (cls == "LogCosh") return std::make_shared<losses::LogCosh>();
  if (cls == "KLDivergence") return std::make_shared<losses::KLDivergence>();
  if (cls == "Poisson") return std::make_shared<losses::Poisson>();
  if (cls == "Hinge") return std::make_shared<losses::Hinge>();
  if (cls == "SquaredHinge") return std::make_shared<losses::SquaredHinge>();
  if (cls == "CategoricalHinge") return std::make_shared<losses::CategoricalHinge>();
  if (cls == "CosineSimilarity")
    return std::make_shared<losses::CosineSimilarity>(
        losses::CosineSimilarityOptions{.axis = name == "cosine_similarity_axis0" ? 0 : -1});
  FAIL("unknown loss class " << cls);
  return nullptr;
}

}  // namespace

TEST_CASE("losses match Keras 3") {
  for (const auto& c : keras_reference().at("losses")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto loss = make_loss(c);
      Tensor y_true = tensor_from(c.at("y_true"));
      if (loss->label_dtype() != y_true.dtype()) y_true = y_true.astype(loss->label_dtype());
      Tensor y_pred = tensor_from(c.at("y_pred"));
      auto out = run_graph({y_true, y_pred}, [&](std::vector<Value>& in) {
        return std::vector<Value>{(*loss)(in[0], in[1]), loss->call(in[0], in[1])};
      });
      // oneDNN's vectorized log is accurate to about 1e-6 absolute (XLA's to float rounding)
      check_close(out[0].item(0), c.at("value").get<double>(), 1e-5, 5e-6, name + " value");
      check_close(out[1], c.at("per_sample"), 1e-5, 5e-6, name + " per sample");
      CHECK(loss->get_config() == c.at("config"));
    }
  }
}

TEST_CASE("loss identifiers resolve as Keras's") {
  CHECK(losses::get("mse")->class_name() == "MeanSquaredError");
  CHECK(losses::get("mean_squared_error")->name() == "mean_squared_error");
  CHECK(losses::get("MAE")->class_name() == "MeanAbsoluteError");
  CHECK(losses::get("bce")->class_name() == "BinaryCrossentropy");
  CHECK(losses::get("CategoricalCrossentropy")->class_name() == "CategoricalCrossentropy");
  CHECK(losses::get("sparse_categorical_crossentropy")->label_dtype() == DType::int32);
  CHECK(LossArg("categorical_crossentropy").get()->name() == "categorical_crossentropy");
  CHECK(LossArg(losses::BinaryCrossentropy({.from_logits = true})).get()->get_config().at("from_logits") == true);
  try {
    losses::get("mean_squared");
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("mean_squared_error") != std::string::npos);
  }
  const auto& keys = keras_reference().at("loss_config_keys");
  CHECK(losses::get("msle")->class_name() == "MeanSquaredLogarithmicError");
  CHECK(losses::get("MAPE")->name() == "mean_absolute_percentage_error");
  CHECK(losses::get("huber")->name() == "huber_loss");
  CHECK(losses::get("kld")->class_name() == "KLDivergence");
  CHECK(losses::get("log_cosh")->class_name() == "LogCosh");
  CHECK_THROWS_AS(losses::get("logcosh"), ValueError);  // a Keras 2 alias Keras 3 dropped
  for (const auto& id : {"mse", "mae", "binary_crossentropy", "categorical_crossentropy",
                         "sparse_categorical_crossentropy", "msle", "mape", "Huber", "log_cosh", "kl_divergence",
                         "poisson", "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity",
                         "binary_focal_crossentropy", "CategoricalFocalCrossentropy", "dice", "tversky"}) {
    auto l = losses::get(id);
    CHECK(sorted_keys(l->get_config()) == keys.at(l->class_name()).get<std::vector<std::string>>());
  }
}

TEST_CASE("loss shape mismatches raise ShapeError naming the loss") {
  Tensor a = Tensor::full({4, 3}, 0.5f), b = Tensor::full({4, 2}, 0.5f);
  auto attempt = [&](const Loss& loss) {
    run_graph({a, b}, [&](std::vector<Value>& in) { return std::vector<Value>{loss(in[0], in[1])}; });
  };
  CHECK_THROWS_WITH_AS(attempt(losses::CategoricalCrossentropy()), doctest::Contains("categorical_crossentropy"),
                       ShapeError);
  CHECK_THROWS_AS(attempt(losses::BinaryCrossentropy()), ShapeError);
  CHECK_THROWS_AS(losses::BinaryCrossentropy({.label_smoothing = 1.5}), ValueError);
}

TEST_CASE("the remaining simple losses round-trip through a saved compile config") {
  auto model = std::make_shared<Sequential>(Sequential({Input({3}), layers::Dense(3)}));
  for (const char* id : {"msle", "mape", "huber", "log_cosh", "kld", "poisson", "hinge", "squared_hinge",
                         "categorical_hinge", "cosine_similarity"}) {
    CAPTURE(id);
    model->compile({.optimizer = "sgd", .loss = id});
    nlohmann::json config = saving::compile_config(*model);
    CHECK(config.at("loss").at("module") == "keras.losses");
    CompileOptions back = saving::compile_options_from(config, *model);
    auto expected = losses::get(id);
    CHECK(back.loss.items.at(0).get()->class_name() == expected->class_name());
    CHECK(back.loss.items.at(0).get()->get_config() == expected->get_config());
  }
  // Keras's own compile_config for Huber (name and reduction only), as model.keras files hold it
  nlohmann::json keras_huber = nlohmann::json::parse(R"({"optimizer": "sgd", "loss": {"module": "keras.losses",
      "class_name": "Huber", "config": {"name": "my_huber", "reduction": "sum_over_batch_size"},
      "registered_name": null}})");
  CHECK(saving::compile_options_from(keras_huber, *model).loss.items.at(0).get()->name() == "my_huber");
}

TEST_CASE("weighted losses under every reduction match Keras 3") {
  for (const auto& c : keras_reference().at("weighted_losses")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto loss = loss_from_keras(c);
      CHECK(loss->reduction() == c.at("config").at("reduction").get<std::string>());
      auto out = run_graph({tensor_from(c.at("y_true")), tensor_from(c.at("y_pred")), tensor_from(c.at("sample_weight"))},
                           [&](std::vector<Value>& in) { return std::vector<Value>{(*loss)(in[0], in[1], in[2])}; });
      check_close(out[0], c.at("value"), 1e-5, 5e-6, name);
    }
  }
}

TEST_CASE("loss reductions: config keys and bad values as Keras") {
  CHECK(losses::MeanSquaredError({.reduction = "sum"}).get_config().at("reduction") == "sum");
  CHECK(losses::Dice().get_config().at("axis").is_null());
  CHECK(losses::Dice({.axis = {1, 2}}).get_config().at("axis") == nlohmann::json::array({1, 2}));
  CHECK_THROWS_WITH_AS(losses::Huber({.reduction = "average"}), doctest::Contains("reduction=average"), ValueError);
  CHECK_THROWS_AS(losses::BinaryFocalCrossentropy({.label_smoothing = -0.1}), ValueError);
  // Keras writes reduction=None as null
  auto none = loss_from_keras({{"class_name", "MeanSquaredError"}, {"config", {{"name", "mse"}, {"reduction", nullptr}}}});
  CHECK(none->reduction() == "none");
}

TEST_CASE("SparseCategoricalCrossentropy ignore_class: values, reductions and gradients equal Keras's") {
  std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/ignore_class_reference.json");
  REQUIRE(in.good());
  const nlohmann::json ref = nlohmann::json::parse(in);
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto loss = saving::compile_options_from({{"optimizer", "sgd"},
                                                {"loss", {{"class_name", "SparseCategoricalCrossentropy"},
                                                          {"config", c.at("config")}}}},
                                               Sequential({layers::Dense(1, {.input_shape = {1}})}))
                      .loss.items.at(0)
                      .get();
      CHECK(loss->get_config() == c.at("config"));
      std::vector<Tensor> inputs{tensor_from(c.at("y_true")), tensor_from(c.at("y_pred"))};
      const bool weighted = !c.at("sample_weight").is_null();
      if (weighted) inputs.push_back(tensor_from(c.at("sample_weight")));
      auto out = run_graph(inputs, [&](std::vector<Value>& v) {
        Value value = (*loss)(v[0], v[1], weighted ? v[2] : Value());
        return std::vector<Value>{value, gradients(ops::sum(value), {v[1]})[0]};
      });
      check_close(out[0], c.at("value"), 1e-5, 1e-6, name + " value");
      check_close(out[1], c.at("grad"), 1e-5, 1e-6, name + " gradient");
    }
  }
}
