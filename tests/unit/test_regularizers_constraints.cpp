// Regularizers, constraints and the Identity/Orthogonal initializers against real Keras 3
// (tests/reference/make_regularizers_reference.py): penalties, projected weights, configs, penalty gradients
// against finite differences, and SGD trajectories of models with weight/activity regularizers and constraints.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/api/initializers/initializers.hpp>
#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/keras2_dialect.hpp>
#include <strata/api/saving/registry.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/layers.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/regularizers_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/regularizers_reference.json is missing");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// One program computing f(x) and, for a scalar f, d f / d x.
class Probe {
 public:
  Probe(const Shape& shape, const std::function<Value(Value)>& f) {
    Graph g;
    Value x = g.add_input(shape, DType::float32, "x");
    Value y = f(x);
    std::vector<ValueId> outs{y.id()};
    if (y.ndim() == 0) {
      Value grad = gradients(y, {x})[0];
      // a penalty that does not depend on x (L1L2 with both factors 0) has a zero gradient
      outs.push_back(grad.valid() ? grad.id() : (x * 0.0f).id());
    }
    program_ = std::make_unique<Program>(std::move(g), std::vector<ValueId>{x.id()}, outs, backend());
    exec_ = program_->make_execution();
  }
  /// f(x), and the gradient into `grad` when f is scalar.
  Tensor run(const Tensor& x, Tensor* grad = nullptr) {
    std::memcpy(exec_->input(0), x.raw(), x.nbytes());
    exec_->run();
    backend().synchronize();
    auto fetch = [&](std::size_t i) {
      Tensor t(program_->output_info(i).shape, program_->output_info(i).dtype);
      backend().copy_to_host(t.raw(), exec_->output(i), t.nbytes());
      return t;
    };
    if (grad) *grad = fetch(1);
    return fetch(0);
  }

 private:
  std::unique_ptr<Program> program_;
  std::unique_ptr<Program::Execution> exec_;
};

/// Compares a strata config with Keras's: same keys; numbers within 1e-12 relative (Keras writes 2 where strata
/// writes 2.0); everything else equal.
void check_config(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& what) {
  INFO(what);
  if (expected.is_number() && actual.is_number()) {
    check_close(actual.get<double>(), expected.get<double>(), 1e-12, 0, what);
  } else if (expected.is_object() && actual.is_object()) {
    CHECK(sorted_keys(actual) == sorted_keys(expected));
    for (auto it = expected.begin(); it != expected.end(); ++it)
      if (actual.contains(it.key())) check_config(actual.at(it.key()), *it, what + "." + it.key());
  } else {
    CHECK_MESSAGE(actual == expected, what << ": strata " << actual.dump() << " vs keras " << expected.dump());
  }
}

/// The regularizer or constraint Keras serialized, rebuilt through strata's deserialize.
Regularizer regularizer_of(const nlohmann::json& c) { return *regularizers::deserialize(c.at("config")); }
Constraint constraint_of(const nlohmann::json& c) { return *constraints::deserialize(c.at("config")); }

}  // namespace

TEST_CASE("regularizers: penalties, configs and gradients match Keras") {
  for (const auto& c : reference().at("penalties")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Regularizer r = regularizer_of(c);
      check_config(regularizers::serialize(r), c.at("config"), name);
      Tensor x = tensor_from(c.at("x"));
      Probe probe(x.shape(), [&](Value v) { return r(v); });
      Tensor grad;
      check_close(probe.run(x, &grad).item(0), c.at("penalty").get<double>(), 1e-5, 1e-7, name + " penalty");
      // central finite differences of the penalty at a few elements, away from |x| = 0 where L1 kinks
      const double h = 1e-3;
      for (std::int64_t k = 0; k < x.size(); k += 3) {
        if (std::fabs(x.item(k)) < 10 * h) continue;
        Tensor up = x, down = x;
        up.data<float>()[k] += static_cast<float>(h);
        down.data<float>()[k] -= static_cast<float>(h);
        const double numeric = (probe.run(up).item(0) - probe.run(down).item(0)) / (2 * h);
        CAPTURE(k);
        CHECK(grad.item(k) == doctest::Approx(numeric).epsilon(2e-2).scale(std::max(1e-2, std::fabs(numeric))));
      }
    }
  }
}

TEST_CASE("constraints: projected weights and configs match Keras") {
  for (const auto& c : reference().at("constraints")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Constraint k = constraint_of(c);
      check_config(constraints::serialize(k), c.at("config"), name);
      Tensor x = tensor_from(c.at("x"));
      Probe probe(x.shape(), [&](Value v) { return k(v); });
      check_close(probe.run(x), c.at("y"), 1e-5, 1e-6, name);
    }
  }
}

TEST_CASE("regularizers and constraints: identifiers, defaults and bad arguments") {
  CHECK(Regularizer("l2").get_config().at("l2").get<double>() == doctest::Approx(0.01));
  CHECK(Regularizer("l1l2").class_name() == "L1L2");
  CHECK(Regularizer("l1_l2").class_name() == "L1L2");  // tf.keras 2's identifier
  CHECK(Regularizer("OrthogonalRegularizer").get_config().at("mode") == "rows");
  CHECK(Constraint("max_norm").get_config().at("max_value").get<double>() == 2.0);
  CHECK(Constraint("UnitNorm").class_name() == "UnitNorm");
  CHECK(Constraint("non_neg").class_name() == "NonNeg");
  CHECK(Constraint("min_max_norm").get_config().at("max_value").get<double>() == 1.0);
  auto throws_naming = [](auto make, const std::string& needle) {
    try {
      make();
      FAIL("no exception for " << needle);
    } catch (const ValueError& e) {
      CHECK_MESSAGE(std::string(e.what()).find(needle) != std::string::npos, e.what());
    }
  };
  throws_naming([] { Regularizer("l3"); }, "l3");
  throws_naming([] { Constraint("max_nrom"); }, "max_nrom");
  throws_naming([] { regularizers::deserialize({{"class_name", "L7"}, {"config", nlohmann::json::object()}}); }, "L7");
  throws_naming([] { regularizers::L2(-1.0); }, "l2=-1");
  throws_naming([] { regularizers::OrthogonalRegularizer({.mode = "diagonal"}); }, "mode=diagonal");
  throws_naming([] { initializers::deserialize("orthogonall"); }, "orthogonall");
  // a rank-3 weight is not a matrix
  Graph g;
  Value w = g.add_input({2, 2, 2}, DType::float32, "w");
  throws_naming([&] { regularizers::OrthogonalRegularizer()(w); }, "rank 2");
  // an unknown regularizer in a saved layer config names the field and the class
  auto config = layers::Dense(2, {.kernel_regularizer = "l2"}).get_config();
  config["kernel_regularizer"]["class_name"] = "MyRegularizer";
  try {
    layers::Dense::from_config(config);
    FAIL("no exception");
  } catch (const UnsupportedError& e) {
    CHECK(std::string(e.what()).find("kernel_regularizer") != std::string::npos);
    CHECK(std::string(e.what()).find("MyRegularizer") != std::string::npos);
  }
}

TEST_CASE("layer configs carry regularizers and constraints in Keras's form, and round-trip") {
  const auto& ref = reference().at("configs");
  using namespace regularizers;
  layers::Dense dense(3, {.kernel_regularizer = "l2",
                          .bias_regularizer = L1(0.5),
                          .activity_regularizer = L1L2({.l1 = 0.1}),
                          .kernel_constraint = "max_norm",
                          .bias_constraint = constraints::NonNeg(),
                          .name = "dense"});
  check_config(dense.get_config(), ref.at("dense"), "dense");
  layers::Conv2D conv(2, 3, {.kernel_regularizer = L2(0.1),
                             .kernel_constraint = constraints::UnitNorm({.axis = {0, 1, 2}}),
                             .name = "conv2d"});
  check_config(conv.get_config(), ref.at("conv2d"), "conv2d");
  layers::BatchNormalization bn({.gamma_regularizer = "l2", .beta_constraint = "non_neg", .name = "batch_normalization"});
  nlohmann::json bn_config = bn.get_config();
  for (const char* key : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"})
    check_config(bn_config.at(key), ref.at("batch_normalization").at(key), key);
  // Keras's configs load, and write back what they read
  for (const char* key : {"dense", "conv2d", "batch_normalization"}) {
    auto layer = deserialize_layer({{"class_name", ref.at(key).at("name") == "dense" ? "Dense"
                                                   : ref.at(key).at("name") == "conv2d" ? "Conv2D"
                                                                                         : "BatchNormalization"},
                                    {"config", ref.at(key)}});
    nlohmann::json back = layer->get_config();
    for (auto it = ref.at(key).begin(); it != ref.at(key).end(); ++it)
      if (it.key().find("regularizer") != std::string::npos || it.key().find("constraint") != std::string::npos)
        check_config(back.at(it.key()), *it, std::string(key) + " round trip");
  }
  // Keras 2 (tf.keras) forms: no module, and the identifier strings
  auto keras2 = layers::Dense::from_config({{"units", 2},
                                            {"kernel_regularizer", {{"class_name", "L1L2"}, {"config", {{"l1", 0.0}, {"l2", 0.02}}}}},
                                            {"bias_regularizer", "l1"},
                                            {"kernel_constraint", {{"class_name", "MaxNorm"}, {"config", {{"max_value", 3}, {"axis", 0}}}}},
                                            {"activity_regularizer", {{"class_name", "L2"}, {"config", {{"l2", 0.5}}}}}});
  auto c2 = keras2->get_config();
  CHECK(c2.at("kernel_regularizer").at("config").at("l2").get<double>() == doctest::Approx(0.02));
  CHECK(c2.at("bias_regularizer").at("class_name") == "L1");
  CHECK(c2.at("kernel_constraint").at("config").at("max_value").get<double>() == 3.0);
  CHECK(c2.at("activity_regularizer").at("config").at("l2").get<double>() == doctest::Approx(0.5));
  // and the Keras 2 dialect writer gives tf.keras's {"class_name", "config"} form
  nlohmann::json model_config = {{"class_name", "Dense"}, {"config", c2}};
  nlohmann::json written = saving::keras2_model(model_config);
  CHECK(written.at("config").at("kernel_regularizer") ==
        nlohmann::json{{"class_name", "L1L2"}, {"config", {{"l1", 0.0}, {"l2", 0.02}}}});
}

TEST_CASE("every layer with regularizer or constraint arguments writes and reads them back") {
  using namespace regularizers;
  using namespace constraints;
  std::vector<std::shared_ptr<Layer>> all = {
      share(layers::Conv1DTranspose(2, 3, {.kernel_regularizer = L1(0.2), .bias_regularizer = "l2",
                                           .activity_regularizer = "l1", .kernel_constraint = "unit_norm",
                                           .bias_constraint = MaxNorm({.max_value = 3, .axis = {0}})})),
      share(layers::DepthwiseConv2D(3, {.depthwise_regularizer = "l2", .bias_regularizer = L1(0.1),
                                        .activity_regularizer = L2(0.3), .depthwise_constraint = "non_neg",
                                        .bias_constraint = "max_norm"})),
      share(layers::SeparableConv2D(4, 3, {.depthwise_regularizer = "l1", .pointwise_regularizer = "l2",
                                           .bias_regularizer = L1L2({.l1 = 0.1, .l2 = 0.2}),
                                           .activity_regularizer = "l1", .depthwise_constraint = "unit_norm",
                                           .pointwise_constraint = MinMaxNorm({.rate = 0.5, .axis = {0, 1, 2}}),
                                           .bias_constraint = "non_neg"})),
      share(layers::LayerNormalization({.beta_regularizer = "l1", .gamma_regularizer = "l2",
                                        .beta_constraint = "non_neg", .gamma_constraint = "unit_norm"})),
      share(layers::GroupNormalization(2, {.beta_regularizer = "l2", .gamma_constraint = "max_norm"})),
      share(layers::PReLU({.alpha_regularizer = "l2", .alpha_constraint = "non_neg"})),
  };
  for (const auto& layer : all) {
    nlohmann::json config = layer->get_config();
    INFO(layer->class_name());
    int set = 0;
    for (auto it = config.begin(); it != config.end(); ++it)
      if ((it.key().ends_with("_regularizer") || it.key().ends_with("_constraint")) && !it->is_null()) ++set;
    CHECK(set >= 2);
    auto back = deserialize_layer({{"class_name", layer->class_name()}, {"config", config}});
    CHECK(back->get_config() == config);
  }
  // the weights carry them: a DepthwiseConv2D's kernel has the L2 penalty and the NonNeg projection
  auto depthwise = std::static_pointer_cast<layers::DepthwiseConv2D>(all[1]);
  depthwise->ensure_built({{-1, 5, 5, 2}});
  REQUIRE(depthwise->kernel()->regularizer());
  CHECK(depthwise->kernel()->regularizer()->class_name() == "L2");
  REQUIRE(depthwise->kernel()->constraint());
  CHECK(depthwise->kernel()->constraint()->class_name() == "NonNeg");
  CHECK(depthwise->activity_regularizer()->get_config().at("l2").get<double>() == doctest::Approx(0.3));
}

TEST_CASE("initializers: Identity and Orthogonal") {
  const auto& ref = reference();
  // Keras 3.15 writes Identity's config as {} whatever the gain; strata matches that for the default gain and
  // keeps any other gain (Keras's from_config reads it)
  check_config(initializers::serialize(initializers::Identity()), ref.at("configs").at("identity"), "identity");
  CHECK(initializers::deserialize(initializers::serialize(initializers::Identity(0.5))).get_config().at("gain") == 0.5);
  check_config(initializers::serialize(initializers::Orthogonal({.gain = 2.0, .seed = 3})),
               ref.at("configs").at("orthogonal"), "orthogonal");
  check_close(initializers::Identity(0.5)({3, 4}), ref.at("identity_values"), 0, 0, "identity values");
  CHECK_THROWS_AS(Initializer("identity")({2, 2, 2}), ValueError);
  CHECK_THROWS_AS(Initializer("orthogonal")({4}), ValueError);
  // orthonormal rows or columns (the fewer), times gain; a fixed seed repeats, as Keras's does
  for (Shape s : {Shape{5, 3}, Shape{3, 5}, Shape{2, 2, 3, 4}}) {
    Tensor q = initializers::Orthogonal({.gain = 2.0, .seed = 7})(s);
    Tensor again = initializers::Orthogonal({.gain = 2.0, .seed = 7})(s);
    CHECK(std::memcmp(q.raw(), again.raw(), q.nbytes()) == 0);
    std::int64_t rows = q.size() / s.back(), cols = s.back();
    const bool by_column = rows >= cols;
    const std::int64_t n = by_column ? cols : rows, len = by_column ? rows : cols;
    for (std::int64_t a = 0; a < n; ++a)
      for (std::int64_t b = 0; b < n; ++b) {
        double dot = 0;
        for (std::int64_t i = 0; i < len; ++i) {
          const float* p = q.data<float>();
          dot += by_column ? double(p[i * cols + a]) * p[i * cols + b] : double(p[a * cols + i]) * p[b * cols + i];
        }
        CHECK(dot == doctest::Approx(a == b ? 4.0 : 0.0).scale(1.0).epsilon(1e-5));
      }
  }
}

TEST_CASE("training: weight and activity regularizers and constraints follow Keras's SGD trajectory") {
  using namespace regularizers;
  using namespace constraints;
  for (const auto& c : reference().at("trajectories")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Sequential model = name == "dense"
          ? Sequential({Input({5}),
                        layers::Dense(4, {.activation = "tanh",
                                          .kernel_regularizer = L2(0.01),
                                          .bias_regularizer = L1(0.02),
                                          .activity_regularizer = L1(0.01),
                                          .kernel_constraint = MaxNorm({.max_value = 0.6})}),
                        layers::Dense(2, {.kernel_regularizer = OrthogonalRegularizer({.factor = 0.05}),
                                          .bias_constraint = NonNeg()})})
          : Sequential({Input({6, 6, 2}),
                        layers::Conv2D(3, 3, {.activation = "relu",
                                              .kernel_regularizer = L2(0.02),
                                              .activity_regularizer = L2(0.01),
                                              .kernel_constraint = UnitNorm({.axis = {0, 1, 2}})}),
                        layers::Flatten(),
                        layers::Dense(1, {.kernel_regularizer = L1L2({.l1 = 0.01, .l2 = 0.01}),
                                          .kernel_constraint = MinMaxNorm({.min_value = 0.2, .max_value = 0.8, .rate = 0.5})})});
      model.set_weights(tensors_from(c.at("initial")));
      std::shared_ptr<Optimizer> sgd = std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = 0.1});
      model.compile({.optimizer = sgd, .loss = "mse"});
      Tensor x = tensor_from(c.at("x")), y = tensor_from(c.at("y"));
      for (std::size_t step = 0; step < c.at("losses").size(); ++step) {
        const std::string at = name + " at step " + std::to_string(step);
        auto logs = model.train_on_batch(x, y);
        // the reported loss includes every penalty, as Keras's does
        check_close(logs.at("loss"), c.at("losses")[step].get<double>(), 1e-5, 1e-7, "loss " + at);
        auto w = model.get_weights();
        REQUIRE(w.size() == c.at("weights")[step].size());
        for (std::size_t i = 0; i < w.size(); ++i)
          check_close(w[i], c.at("weights")[step][i], 1e-5, 1e-6, "weight " + std::to_string(i) + " " + at);
      }
      check_close(model.evaluate(x, y, {.verbose = 0}).at("loss"), c.at("evaluate").get<double>(), 1e-5, 1e-7, name + " evaluate");
    }
  }
}
