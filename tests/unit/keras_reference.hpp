#pragma once
// Access to tests/reference/keras_reference.json (written by make_layer_reference.py with real Keras)
// and small helpers to run graphs and compare tensors with it.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/graph/program.hpp>
#include <strata/api/tensor.hpp>
#include <strata/backends/backend.hpp>

namespace strata::testing {

inline const nlohmann::json& keras_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/keras_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/keras_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// tests/reference/keras_training_reference.json (make_training_reference.py): optimizer trajectories,
/// schedules and callbacks. Non-finite numbers in it are the strings "nan", "inf", "-inf" (see number()).
inline const nlohmann::json& keras_training_reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/keras_training_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/keras_training_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// A number of the reference, where NaN and infinities are written as strings.
inline double number(const nlohmann::json& j) {
  if (j.is_string()) return std::stod(j.get<std::string>());
  return j.get<double>();
}

/// The entry of `list` whose "name" is `name`.
inline const nlohmann::json& find_case(const nlohmann::json& list, const std::string& name) {
  for (const auto& c : list)
    if (c.at("name") == name) return c;
  FAIL("no reference case named " << name);
  static nlohmann::json none;
  return none;
}

inline Shape shape_of(const nlohmann::json& j) { return j.at("shape").get<Shape>(); }

inline Tensor tensor_from(const nlohmann::json& j) {
  Shape shape = shape_of(j);
  if (j.at("dtype") == "int32") return Tensor(shape, j.at("data").get<std::vector<std::int32_t>>());
  return Tensor(shape, j.at("data").get<std::vector<float>>());
}

inline std::vector<Tensor> tensors_from(const nlohmann::json& list) {
  std::vector<Tensor> out;
  for (const auto& j : list) out.push_back(tensor_from(j));
  return out;
}

/// |actual - expected| <= atol + rtol * |expected| everywhere, and equal shapes.
inline void check_close(const Tensor& actual, const nlohmann::json& expected, double rtol = 1e-5, double atol = 1e-6,
                        const std::string& what = "") {
  INFO(what);
  REQUIRE(shape_str(actual.shape()) == shape_str(shape_of(expected)));
  const auto& data = expected.at("data");
  int bad = 0;
  for (std::int64_t i = 0; i < actual.size(); ++i) {
    double a = actual.item(i), e = data[static_cast<std::size_t>(i)].get<double>();
    if (!(std::abs(a - e) <= atol + rtol * std::abs(e)) && bad++ < 5)
      CHECK_MESSAGE(false, what << " element " << i << ": strata " << a << " vs keras " << e);
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " elements differ");
}

inline void check_close(double actual, double expected, double rtol = 1e-5, double atol = 1e-6,
                        const std::string& what = "") {
  CHECK_MESSAGE(std::abs(actual - expected) <= atol + rtol * std::abs(expected),
                what << ": strata " << actual << " vs keras " << expected);
}

/// Builds a graph over inputs shaped like `inputs`, runs it once, returns the outputs.
inline std::vector<Tensor> run_graph(const std::vector<Tensor>& inputs,
                                     const std::function<std::vector<Value>(std::vector<Value>&)>& build) {
  Graph g;
  std::vector<Value> in;
  std::vector<ValueId> in_ids, out_ids;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    in.push_back(g.add_input(inputs[i].shape(), inputs[i].dtype(), "input_" + std::to_string(i)));
    in_ids.push_back(in.back().id());
  }
  for (const auto& v : build(in)) out_ids.push_back(v.id());
  Program program(std::move(g), in_ids, out_ids, backend());
  auto exec = program.make_execution();
  for (std::size_t i = 0; i < inputs.size(); ++i) backend().copy_to_device(exec->input(i), inputs[i].raw(), inputs[i].nbytes());
  exec->run();
  backend().synchronize();
  std::vector<Tensor> out;
  for (std::size_t i = 0; i < out_ids.size(); ++i) {
    Tensor t(program.output_info(i).shape, program.output_info(i).dtype);
    backend().copy_to_host(t.raw(), exec->output(i), t.nbytes());
    out.push_back(std::move(t));
  }
  return out;
}

inline std::vector<std::string> sorted_keys(const nlohmann::json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace strata::testing
