// The confusion-matrix metrics (TruePositives ... AUC ... RecallAtPrecision) against real Keras 3
// (tests/reference/make_confusion_metrics_reference.py), their configs, errors, and compile/fit/evaluate.
#include <doctest/doctest.h>

#include <fstream>

#include <strata/api/saving/compile_config.hpp>
#include <strata/strata.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

const nlohmann::json& confusion_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/confusion_metrics_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/confusion_metrics_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

void update_with(Metric& metric, const nlohmann::json& batch) {
  std::optional<Tensor> sample_weight;
  if (batch.contains("sample_weight")) sample_weight = tensor_from(batch.at("sample_weight"));
  metric.update_state(tensor_from(batch.at("y_true")), tensor_from(batch.at("y_pred")), sample_weight);
}

/// The metric's result as Keras's: a vector for the metrics with several thresholds.
nlohmann::json result_of(const Metric& metric, bool vector) {
  if (!vector) return metric.result();
  if (auto* m = dynamic_cast<const metrics::ConfusionConditionCount*>(&metric)) return m->results();
  if (auto* m = dynamic_cast<const metrics::PrecisionRecallBase*>(&metric)) return m->results();
  FAIL("no vector result for " << metric.class_name());
  return nullptr;
}

/// Within 1e-6 relative of Keras (the bar), and `atol` absolute near 0.
void check_result(const nlohmann::json& got, const nlohmann::json& expected, const std::string& what,
                  double atol = 1e-7) {
  if (expected.is_array()) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
      check_close(got[i].get<double>(), expected[i].get<double>(), 1e-6, atol, what + " [" + std::to_string(i) + "]");
  } else {
    check_close(got.get<double>(), expected.get<double>(), 1e-6, atol, what);
  }
}

/// The rounding Keras's float32 sums of weighted counts can carry: a few float32 ulps of the batches' total
/// weight (its bucketed path takes tn = total - fp, so a count near 0 carries the total's rounding).
double weighted_count_atol(const nlohmann::json& data, const nlohmann::json& batches) {
  double total = 0;
  for (const auto& b : batches) {
    const auto& batch = data.at(b.get<std::string>());
    if (!batch.contains("sample_weight")) continue;
    const auto& w = batch.at("sample_weight").at("data");
    const double per_weight = static_cast<double>(batch.at("y_pred").at("data").size()) / static_cast<double>(w.size());
    for (const auto& v : w) total += std::abs(v.get<double>()) * per_weight;
  }
  return std::max(1e-7, 8 * 0x1p-24 * total);
}

}  // namespace

TEST_CASE("confusion metrics match Keras 3 (random, edge cases, sample weights, several updates, reset)") {
  const auto& ref = confusion_reference();
  const auto& data = ref.at("data");
  int checked = 0;
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    INFO(name);
    const std::string class_name = c.at("class_name");
    const auto& batches = c.at("batches");
    const bool is_count = class_name.find("Positives") != std::string::npos ||
                          class_name.find("Negatives") != std::string::npos;
    const double atol = is_count ? weighted_count_atol(data, batches) : 1e-7;
    try {
      auto metric = metrics::from_config(class_name, c.at("config"), "test");
      CHECK(metric->get_config() == c.at("config"));
      const auto& results = c.at("results");
      const bool vector = results[0].is_array();
      for (std::size_t i = 0; i < batches.size(); ++i) {
        update_with(*metric, data.at(batches[i].get<std::string>()));
        check_result(result_of(*metric, vector), results[i], name + " after update " + std::to_string(i + 1), atol);
      }
      metric->reset_state();
      check_result(result_of(*metric, vector),
                   vector ? nlohmann::json(std::vector<double>(results[0].size(), 0.0)) : nlohmann::json(0.0),
                   name + " after reset_state");
      update_with(*metric, data.at(batches[0].get<std::string>()));
      check_result(result_of(*metric, vector), results[0], name + " after reset_state and one update", atol);
      ++checked;
    } catch (const std::exception& e) {
      FAIL_CHECK(name << " threw: " << e.what());
    }
  }
  CHECK(checked == static_cast<int>(ref.at("cases").size()));
}

TEST_CASE("confusion metric configs round-trip and identifiers resolve as Keras 3's") {
  for (const auto& c : confusion_reference().at("cases")) {
    auto metric = metrics::from_config(c.at("class_name"), c.at("config"), "test");
    auto again = metrics::from_config(metric->class_name(), metric->get_config(), "test");
    CHECK(again->get_config() == c.at("config"));
  }
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"true_positives", "TruePositives"},   {"false_positives", "FalsePositives"}, {"true_negatives", "TrueNegatives"},
      {"false_negatives", "FalseNegatives"}, {"precision", "Precision"},           {"recall", "Recall"},
      {"auc", "AUC"},                        {"AUC", "AUC"},                       {"Precision", "Precision"}};
  for (const auto& [id, cls] : ids) {
    auto m = metrics::get(id, "binary_crossentropy", {1}, {1});
    CHECK(m->class_name() == cls);
    CHECK(m->name() == id);  // Keras names a metric given by string after the string
  }
  CHECK(metrics::is_identifier("sensitivity_at_specificity"));
  CHECK(metrics::is_identifier("recall_at_precision"));
  // default names as Keras's (snake_case of the class)
  CHECK(metrics::AUC().name() == "auc");
  CHECK(metrics::TruePositives().name() == "true_positives");
  CHECK(metrics::Recall({.thresholds = 0.3}).name() == "recall");
  CHECK(metrics::SpecificityAtSensitivity(0.5).name() == "specificity_at_sensitivity");
  // the options API gives Keras's config
  auto auc = metrics::AUC({.num_thresholds = 50, .curve = "pr", .summation_method = "Minoring", .name = "pr_auc",
                           .label_weights = std::vector<double>{0.5, 2.0}});
  auto config = auc.get_config();
  CHECK(config.at("curve") == "PR");
  CHECK(config.at("summation_method") == "minoring");
  CHECK(config.at("label_weights").at("config").at("value") == nlohmann::json({0.5, 2.0}));
  CHECK_FALSE(config.contains("thresholds"));
  CHECK(metrics::AUC({.thresholds = std::vector<double>{0.9, 0.2}}).get_config().at("num_thresholds") == 4);
  CHECK(metrics::Precision({.thresholds = {0.3, 0.5}}).get_config().at("thresholds") == nlohmann::json({0.3, 0.5}));
  CHECK(metrics::Precision({.thresholds = 0.3}).get_config().at("thresholds") == 0.3);
  CHECK(metrics::Precision().get_config().at("thresholds").is_null());
}

TEST_CASE("invalid confusion metric arguments raise ValueError worded as Keras 3") {
  const auto& e = confusion_reference().at("errors");
  auto expect = [&](const char* key, auto make) {
    const std::string message = e.at(key);
    INFO(key);
    CHECK_THROWS_WITH_AS(make(), doctest::Contains(message.c_str()), ValueError);
  };
  expect("threshold_above_1", [] { metrics::Precision({.thresholds = {0.5, 1.5}}); });
  expect("threshold_below_0", [] { metrics::TruePositives({.thresholds = -0.25}); });
  expect("auc_num_thresholds", [] { metrics::AUC({.num_thresholds = 1}); });
  expect("auc_curve", [] { metrics::AUC({.curve = "XY"}); });
  expect("auc_summation", [] { metrics::AUC({.summation_method = "trapezoid"}); });
  expect("auc_num_labels", [] { metrics::AUC({.num_labels = 3}); });
  expect("sensitivity_num_thresholds", [] { metrics::SensitivityAtSpecificity(0.5, {.num_thresholds = 0}); });
  expect("specificity_range", [] { metrics::SensitivityAtSpecificity(1.5); });
  expect("sensitivity_range", [] { metrics::SpecificityAtSensitivity(-0.5); });
  expect("recall_range", [] { metrics::PrecisionAtRecall(2.0); });
  expect("precision_range", [] { metrics::RecallAtPrecision(1.25); });
  // through the registry (a saved compile_config) too
  CHECK_THROWS_AS(metrics::from_config("AUC", {{"name", "auc"}, {"curve", "XY"}}, "test"), ValueError);
  // class_id needs a class axis; multi_label needs rank 2
  metrics::Precision by_class({.class_id = 1});
  CHECK_THROWS_AS(by_class.update_state(Tensor(Shape{4}, std::vector<float>{0, 1, 1, 0}),
                                        Tensor(Shape{4}, std::vector<float>{0.2f, 0.7f, 0.4f, 0.9f})),
                  ValueError);
  metrics::AUC multi({.multi_label = true});
  CHECK_THROWS_WITH_AS(multi.update_state(Tensor(Shape{4}, std::vector<float>{0, 1, 1, 0}),
                                          Tensor(Shape{4}, std::vector<float>{0.2f, 0.7f, 0.4f, 0.9f})),
                       doctest::Contains("`y_pred` must have rank 2 when `multi_label=True`"), ValueError);
}

TEST_CASE("a metric with several thresholds gives its vector through results(), not result()") {
  metrics::Precision p({.thresholds = {0.25, 0.5, 0.75}});
  Tensor y_true(Shape{4, 1}, std::vector<float>{1, 0, 1, 0});
  Tensor y_pred(Shape{4, 1}, std::vector<float>{0.9f, 0.6f, 0.3f, 0.1f});
  p.update_state(y_true, y_pred);
  // analytic: > 0.25 predicts {0.9, 0.6, 0.3} (2 of 3 right), > 0.5 {0.9, 0.6}, > 0.75 {0.9}
  auto r = p.results();
  REQUIRE(r.size() == 3);
  CHECK(r[0] == doctest::Approx(2.0 / 3.0));
  CHECK(r[1] == doctest::Approx(0.5));
  CHECK(r[2] == doctest::Approx(1.0));
  CHECK_THROWS_WITH_AS(p.result(), doctest::Contains("results()"), UnsupportedError);
  metrics::FalseNegatives fn({.thresholds = {0.5}});  // a list of one is a scalar in Keras
  fn.update_state(y_true, y_pred);
  CHECK(fn.result() == 1.0);
}

TEST_CASE("compile/fit/evaluate log confusion metrics under Keras's names, equal to the eager result") {
  set_random_seed(7);
  const std::int64_t n = 96;
  Tensor x({n, 3}), y({n, 1});
  auto xv = x.values<float>();
  auto yv = y.values<float>();
  for (std::int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) xv[i * 3 + j] = static_cast<float>(std::sin(0.37 * i + j) + 0.1 * j);
    yv[i] = xv[i * 3] + 0.5f * xv[i * 3 + 1] > 0.2f ? 1.0f : 0.0f;
  }
  Sequential model({Input({3}), layers::Dense(4, {.activation = "tanh"}), layers::Dense(1, {.activation = "sigmoid"})});
  model.compile({.optimizer = "adam",
                 .loss = "binary_crossentropy",
                 .metrics = {"auc", "precision", metrics::Recall({.thresholds = 0.4, .name = "recall_at_04"}),
                             metrics::AUC({.curve = "PR", .name = "pr_auc"}), "true_positives",
                             metrics::SensitivityAtSpecificity(0.6)}});
  auto history = model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0});
  for (const char* key : {"loss", "auc", "precision", "recall_at_04", "pr_auc", "true_positives",
                          "sensitivity_at_specificity"})
    CHECK_MESSAGE(history->history.count(key), key);
  auto logs = model.evaluate(x, y, {.batch_size = 20, .verbose = 0});
  Tensor predicted = model.predict(x, {.verbose = 0});
  auto eager = [&](Metric&& m) {
    m.update_state(y, predicted);
    return m.result();
  };
  check_close(logs.at("auc"), eager(metrics::AUC()), 1e-6, 1e-7, "auc");
  check_close(logs.at("precision"), eager(metrics::Precision()), 1e-6, 1e-7, "precision");
  check_close(logs.at("recall_at_04"), eager(metrics::Recall({.thresholds = 0.4})), 1e-6, 1e-7, "recall");
  check_close(logs.at("pr_auc"), eager(metrics::AUC({.curve = "PR"})), 1e-6, 1e-7, "pr_auc");
  check_close(logs.at("true_positives"), eager(metrics::TruePositives()), 1e-6, 1e-7, "true_positives");
  check_close(logs.at("sensitivity_at_specificity"), eager(metrics::SensitivityAtSpecificity(0.6)), 1e-6, 1e-7,
              "sensitivity_at_specificity");
  // the values are not trivially 0 == 0
  CHECK(logs.at("auc") > 0.0);
  CHECK(logs.at("true_positives") > 0.0);

  // a vector-valued metric cannot be logged
  Sequential vector_model({Input({3}), layers::Dense(1, {.activation = "sigmoid"})});
  vector_model.compile({.optimizer = "sgd", .loss = "binary_crossentropy",
                        .metrics = {metrics::Precision({.thresholds = {0.3, 0.6}})}});
  CHECK_THROWS_AS(vector_model.fit(x, y, {.batch_size = 32, .epochs = 1, .verbose = 0}), UnsupportedError);
}

TEST_CASE("a Keras compile_config with confusion metrics evaluates to Keras 3's logs") {
  const auto& ref = confusion_reference().at("evaluate");
  Sequential model({Input({3}), layers::Dense(1, {.activation = "sigmoid"})});
  model.set_weights(tensors_from(ref.at("weights")));
  model.compile(saving::compile_options_from(ref.at("compile_config"), model));
  auto logs = model.evaluate(tensor_from(ref.at("x")), tensor_from(ref.at("y")),
                             {.batch_size = 16, .verbose = 0, .sample_weight = tensor_from(ref.at("sample_weight"))});
  CHECK(logs.size() == ref.at("logs").size());
  for (const auto& [key, value] : ref.at("logs").items()) {
    REQUIRE_MESSAGE(logs.count(key), key);
    // the loss is a float32 mean; the metrics are counts of 90 samples (weighted ones to float32 rounding)
    check_close(logs.at(key), value.get<double>(), key == "loss" ? 1e-5 : 1e-6, 1e-6, key);
  }
}
