// fit/evaluate with sample_weight and class_weight against real Keras 3 (keras_training_reference.json,
// "weighted_fit"): SGD on the reference Dense model, the loss's own reduction applied to the weighted values.
#include <doctest/doctest.h>

#include <strata/api/saving/compile_config.hpp>
#include <strata/strata.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

Sequential weighted_fit_model() {
  Sequential model({Input({3}), layers::Dense(4, {.activation = "tanh"}), layers::Dense(2)});
  model.set_weights(tensors_from(keras_training_reference().at("trajectory").at("initial_weights")));
  return model;
}

std::map<std::string, std::map<int, double>> class_weights() {
  return {{"class_weight_sparse", {{0, 0.3}, {1, 2.0}}}, {"class_weight_onehot", {{1, 4.0}}}};
}

}  // namespace

TEST_CASE("fit and evaluate with sample_weight and class_weight match Keras 3") {
  const auto& ref = keras_training_reference().at("weighted_fit");
  Tensor x = tensor_from(keras_training_reference().at("fit").at("x"));
  Tensor sample_weight = tensor_from(ref.at("sample_weight"));
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Sequential model = weighted_fit_model();
      auto options = saving::compile_options_from({{"optimizer", "sgd"},
                                                   {"loss", c.at("loss")},
                                                   {"metrics", c.at("metrics")},
                                                   {"weighted_metrics", c.at("weighted_metrics")}},
                                                  model);
      options.optimizer = optimizers::SGD({.learning_rate = 0.1});
      model.compile(options);
      Tensor y = tensor_from(c.at("y"));
      FitOptions fit{.batch_size = 3, .epochs = 3, .verbose = 0, .shuffle = false};
      if (name.rfind("class_weight", 0) == 0) {
        fit.class_weight = class_weights().at(name);
      } else {
        fit.sample_weight = name == "sample_weight_zero" ? Tensor::full({8}, 0.0f) : sample_weight;
        if (name == "sample_weight_validation_split" || name == "sample_weight_weighted_metrics")
          fit.validation_split = 0.25f;
      }
      auto history = model.fit(x, y, fit);
      auto w = model.get_weights();
      for (std::size_t i = 0; i < w.size(); ++i)
        check_close(w[i], c.at("weights")[i], 1e-5, 1e-7, name + " weight " + std::to_string(i));
      for (const auto& [key, values] : c.at("history").items()) {
        REQUIRE_MESSAGE(history->history.count(key), key);
        const auto& got = history->history.at(key);
        REQUIRE(got.size() == values.size());
        for (std::size_t e = 0; e < got.size(); ++e)
          check_close(got[e], values[e].get<double>(), 1e-5, 1e-7, key + " at epoch " + std::to_string(e));
      }
      auto evaluated = model.evaluate(x, y, {.batch_size = 3, .verbose = 0, .sample_weight = sample_weight});
      check_close(evaluated.at("loss"), c.at("evaluate_weighted").get<double>(), 1e-5, 1e-7, name + " evaluate");
      CHECK(evaluated.size() == c.at("evaluate_logs").size());
      for (const auto& [key, value] : c.at("evaluate_logs").items()) {
        REQUIRE_MESSAGE(evaluated.count(key), key);
        check_close(evaluated.at(key), value.get<double>(), 1e-5, 1e-7, name + " evaluate " + key);
      }
    }
  }
}

TEST_CASE("sample_weight and class_weight misuse raises ValueError as Keras") {
  Sequential model = weighted_fit_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  Tensor x = Tensor::full({8, 3}, 0.5f), y = Tensor::full({8, 2}, 0.25f);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.verbose = 0, .sample_weight = Tensor::full({8}, 1.0f),
                                        .class_weight = {{0, 2.0}}}),
                       doctest::Contains("You cannot `class_weight` and `sample_weight` at the same time."), ValueError);
  CHECK_THROWS_AS(model.fit(x, y, {.verbose = 0, .sample_weight = Tensor::full({7}, 1.0f)}), ValueError);
  // a loss that keeps its per-sample values cannot be trained on
  model.compile({.optimizer = "sgd", .loss = losses::MeanSquaredError({.reduction = "none"})});
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.verbose = 0}), doctest::Contains("reduction other than 'none'"), ValueError);
}
