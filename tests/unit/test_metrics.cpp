// Every metric against real Keras 3, and Keras 3's resolution of "accuracy".
#include <doctest/doctest.h>

#include <strata/api/metrics/metrics.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

std::shared_ptr<Metric> make_metric(const nlohmann::json& c) {
  return metrics::from_config(c.at("class_name"), c.at("config"), "test");
}

/// The metric's result after one eager update with this batch.
double metric_result(Metric& metric, const Tensor& y_true, const Tensor& y_pred) {
  metric.reset_state();
  metric.update_state(y_true, y_pred);
  return metric.result();
}

}  // namespace

TEST_CASE("metrics match Keras 3") {
  for (const auto& c : keras_reference().at("metrics")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto metric = make_metric(c);
      Tensor y_true = tensor_from(c.at("y_true"));
      Tensor y_pred = tensor_from(c.at("y_pred"));
      check_close(metric_result(*metric, y_true, y_pred), c.at("value").get<double>(), 1e-5, 1e-6, name);
      CHECK(sorted_keys(metric->get_config()) == sorted_keys(c.at("config")));
      CHECK(metric->name() == c.at("config").at("name"));
    }
  }
}

TEST_CASE("sparse metrics accept int32 labels (as the sparse loss feeds them)") {
  const auto& c = find_case(keras_reference().at("metrics"), "sparse_categorical_accuracy");
  Tensor labels = tensor_from(c.at("y_true"));
  REQUIRE(labels.dtype() == DType::int32);
  metrics::SparseCategoricalAccuracy m;
  check_close(metric_result(m, labels, tensor_from(c.at("y_pred"))), c.at("value").get<double>());
}

TEST_CASE("\"accuracy\" and other identifiers resolve as Keras 3's compile") {
  for (const auto& c : keras_reference().at("accuracy_resolution")) {
    Shape t = c.at("y_true_shape").get<Shape>(), p = c.at("y_pred_shape").get<Shape>();
    Shape t_sample(t.begin() + 1, t.end()), p_sample(p.begin() + 1, p.end());
    std::string id = c.at("identifier");
    INFO(id << " " << shape_str(t) << " " << shape_str(p));
    auto m = metrics::get(id, "mse", t_sample, p_sample);
    CHECK(m->class_name() == c.at("class_name"));
    CHECK(m->name() == c.at("name"));
  }
  CHECK(metrics::get("ACC", "", {1}, {1})->class_name() == "BinaryAccuracy");
  try {
    metrics::get("accuracyy", "", {1}, {1});
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("sparse_categorical_accuracy") != std::string::npos);
  }
}

TEST_CASE("metric config keys equal Keras's") {
  const auto& keys = keras_reference().at("metric_config_keys");
  for (auto it = keys.begin(); it != keys.end(); ++it) {
    auto m = metrics::get(it.key(), "", {3}, {3});
    CHECK(sorted_keys(m->get_config()) == it.value().get<std::vector<std::string>>());
  }
}
