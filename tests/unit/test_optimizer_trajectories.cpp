// Every optimizer, the common arguments (clipnorm, clipvalue, global_clipnorm, weight_decay) and schedule-driven
// learning rates against real Keras 3: the weights of a two-layer MLP over 5 training steps
// (tests/reference/make_training_reference.py).
#include <doctest/doctest.h>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/core/dense.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

template <class Options>
void common_from(Options& o, const nlohmann::json& j) {
  auto opt = [&](const char* key) -> std::optional<double> {
    if (j.contains(key)) return j.at(key).get<double>();
    return std::nullopt;
  };
  if (j.contains("weight_decay")) o.weight_decay = opt("weight_decay");
  o.clipnorm = opt("clipnorm");
  o.clipvalue = opt("clipvalue");
  o.global_clipnorm = opt("global_clipnorm");
}

/// The optimizer Keras built from `options` (and a schedule as learning rate, if given).
std::shared_ptr<Optimizer> make_optimizer(const std::string& cls, const nlohmann::json& j, const nlohmann::json& schedule) {
  using namespace optimizers;
  LearningRate lr = j.value("learning_rate", 0.001);
  if (!schedule.is_null()) lr = schedules::deserialize(schedule);
  auto d = [&](const char* key, double fallback) { return j.value(key, fallback); };
  auto b = [&](const char* key, bool fallback) { return j.value(key, fallback); };
  if (cls == "SGD") {
    SGDOptions o{.learning_rate = schedule.is_null() ? LearningRate(d("learning_rate", 0.01)) : lr,
                 .momentum = d("momentum", 0.0),
                 .nesterov = b("nesterov", false)};
    common_from(o, j);
    return std::make_shared<SGD>(o);
  }
  if (cls == "Adam") {
    AdamOptions o{.learning_rate = lr, .beta_1 = d("beta_1", 0.9), .beta_2 = d("beta_2", 0.999),
                  .epsilon = d("epsilon", 1e-7), .amsgrad = b("amsgrad", false)};
    common_from(o, j);
    return std::make_shared<Adam>(o);
  }
  if (cls == "AdamW") {
    AdamWOptions o{.learning_rate = lr, .beta_1 = d("beta_1", 0.9), .beta_2 = d("beta_2", 0.999),
                   .epsilon = d("epsilon", 1e-7), .amsgrad = b("amsgrad", false)};
    common_from(o, j);
    return std::make_shared<AdamW>(o);
  }
  if (cls == "RMSprop") {
    RMSpropOptions o{.learning_rate = lr, .rho = d("rho", 0.9), .momentum = d("momentum", 0.0),
                     .epsilon = d("epsilon", 1e-7), .centered = b("centered", false)};
    common_from(o, j);
    return std::make_shared<RMSprop>(o);
  }
  if (cls == "Adagrad") {
    AdagradOptions o{.learning_rate = lr, .initial_accumulator_value = d("initial_accumulator_value", 0.1),
                     .epsilon = d("epsilon", 1e-7)};
    common_from(o, j);
    return std::make_shared<Adagrad>(o);
  }
  if (cls == "Adadelta") {
    AdadeltaOptions o{.learning_rate = lr, .rho = d("rho", 0.95), .epsilon = d("epsilon", 1e-7)};
    common_from(o, j);
    return std::make_shared<Adadelta>(o);
  }
  if (cls == "Adamax") {
    AdamaxOptions o{.learning_rate = lr, .beta_1 = d("beta_1", 0.9), .beta_2 = d("beta_2", 0.999),
                    .epsilon = d("epsilon", 1e-7)};
    common_from(o, j);
    return std::make_shared<Adamax>(o);
  }
  if (cls == "Nadam") {
    NadamOptions o{.learning_rate = lr, .beta_1 = d("beta_1", 0.9), .beta_2 = d("beta_2", 0.999),
                   .epsilon = d("epsilon", 1e-7)};
    common_from(o, j);
    return std::make_shared<Nadam>(o);
  }
  if (cls == "Ftrl") {
    FtrlOptions o{.learning_rate = lr,
                  .learning_rate_power = d("learning_rate_power", -0.5),
                  .initial_accumulator_value = d("initial_accumulator_value", 0.1),
                  .l1_regularization_strength = d("l1_regularization_strength", 0.0),
                  .l2_regularization_strength = d("l2_regularization_strength", 0.0),
                  .l2_shrinkage_regularization_strength = d("l2_shrinkage_regularization_strength", 0.0),
                  .beta = d("beta", 0.0)};
    common_from(o, j);
    return std::make_shared<Ftrl>(o);
  }
  if (cls == "Lion") {
    LionOptions o{.learning_rate = lr, .beta_1 = d("beta_1", 0.9), .beta_2 = d("beta_2", 0.99)};
    common_from(o, j);
    return std::make_shared<Lion>(o);
  }
  FAIL("unknown optimizer " << cls);
  return nullptr;
}

Sequential mlp(const nlohmann::json& ref) {
  Sequential model({Input({3}), layers::Dense(4, {.activation = "tanh"}), layers::Dense(2)});
  model.set_weights(tensors_from(ref.at("initial_weights")));
  return model;
}

/// Keras numbers the names of second and later instances ("adam_w_3", "variable_2"); strata's tests compare the
/// name without that suffix.
std::string unnumbered(const std::string& name) {
  auto at = name.find_last_not_of("0123456789");
  if (at != std::string::npos && at + 1 < name.size() && name[at] == '_') return name.substr(0, at);
  return name;
}

/// Compares two configs: same keys, equal strings/bools/nulls, numbers within 1e-12 relative.
void check_config(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& what) {
  INFO(what);
  CHECK(sorted_keys(actual) == sorted_keys(expected));
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    if (!actual.contains(it.key())) continue;
    const auto& a = actual.at(it.key());
    if (it->is_number() && a.is_number()) {
      check_close(a.get<double>(), it->get<double>(), 1e-12, 0, what + "." + it.key());
    } else if (it->is_object() && a.is_object()) {
      check_config(a, *it, what + "." + it.key());
    } else {
      CHECK_MESSAGE(a == *it, what << "." << it.key() << ": strata " << a.dump() << " vs keras " << it->dump());
    }
  }
}

}  // namespace

TEST_CASE("every optimizer and common argument follows Keras 3's weight trajectory") {
  const auto& ref = keras_training_reference().at("trajectory");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  const int steps = ref.at("steps");
  // 1e-5 relative; elements near zero (a bias whose gradient nearly cancels over the batch) get an absolute
  // 1e-6, as the first optimizer test has: the summation order of the gradient differs from XLA's
  const double atol = 1e-6;
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      Sequential model = mlp(ref);
      auto optimizer = make_optimizer(c.at("class_name"), c.at("options"), c.at("schedule"));
      model.compile({.optimizer = optimizer, .loss = "mse"});
      for (int step = 0; step < steps; ++step) {
        auto logs = model.train_on_batch(x, y);
        const std::string at = " at step " + std::to_string(step);
        check_close(logs.at("loss"), c.at("losses")[step].get<double>(), 1e-5, 1e-6, name + " loss" + at);
        auto w = model.get_weights();
        REQUIRE(w.size() == 4);
        for (std::size_t i = 0; i < w.size(); ++i)
          check_close(w[i], c.at("weights")[step][i], 1e-5, atol, name + " weight " + std::to_string(i) + at);
        check_close(optimizer->learning_rate(), c.at("learning_rates")[step].get<double>(), 1e-6, 0,
                    name + " learning_rate" + at);
      }
      CHECK(optimizer->iterations() == steps);
      CHECK(optimizer->class_name() == c.at("class_name").get<std::string>());
      nlohmann::json expected = c.at("config"), actual = optimizer->get_config();
      expected.erase("name");  // Keras numbers its instances ("adam_w_3")
      actual.erase("name");
      check_config(actual, expected, name + " config");
      // Keras's optimizer.variables: iteration, learning_rate (not with a schedule), slots, own state
      auto vars = optimizer->variables();
      const auto& paths = c.at("variables");
      REQUIRE(vars.size() == paths.size());
      for (std::size_t i = 0; i < vars.size(); ++i) {
        // Keras prefixes the model's and layers' numbered names; compare from the variable's own name on
        std::string e = paths[i];
        std::string n = vars[i]->path();
        for (const char* own : {"kernel", "bias", "iteration", "learning_rate", "variable"}) {
          auto at_e = e.find(own);
          auto at_n = n.find(own);
          if (at_e == std::string::npos || at_n == std::string::npos) continue;
          CHECK_MESSAGE(unnumbered(e.substr(at_e)) == n.substr(at_n), n << " vs keras " << e);
          break;
        }
      }
    }
  }
}

TEST_CASE("optimizer defaults and configs are Keras's") {
  for (const auto& [cls, expected] : keras_training_reference().at("optimizer_defaults").items()) {
    CAPTURE(cls);
    auto opt = optimizers::get(cls);
    CHECK(opt->class_name() == cls);
    nlohmann::json keras = expected;
    keras["name"] = unnumbered(keras.at("name"));
    check_config(opt->get_config(), keras, cls + " defaults");
  }
}

TEST_CASE("optimizer arguments are validated as Keras does") {
  using namespace optimizers;
  for (const char* id : {"adadelta", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "nadam", "rmsprop", "sgd",
                         "AdamW", "Nadam", "LION"})
    CHECK(get(id) != nullptr);
  try {
    get("adam_w");
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("adamw") != std::string::npos);
  }
  CHECK_THROWS_AS(SGD({.clipnorm = 1.0, .clipvalue = 0.5}), ValueError);
  CHECK_THROWS_AS(Adam({.clipnorm = 1.0, .global_clipnorm = 0.5}), ValueError);
  CHECK_THROWS_AS(AdamW({.weight_decay = std::nullopt}), ValueError);
  CHECK_THROWS_AS(Lion({.beta_1 = 0.0}), ValueError);
  CHECK_THROWS_AS(Lion({.beta_1 = 1.5}), ValueError);
  CHECK_THROWS_AS(Ftrl({.learning_rate_power = 0.5}), ValueError);
  CHECK_THROWS_AS(Ftrl({.initial_accumulator_value = -0.1}), ValueError);
  CHECK_THROWS_AS(Ftrl({.l1_regularization_strength = -1}), ValueError);
  CHECK_THROWS_AS(Adagrad({.learning_rate = -0.5}), ValueError);
  CHECK_THROWS_AS(Nadam({.weight_decay = std::nan("")}), ValueError);
  try {
    Adam({.learning_rate = -0.5, .name = "my_adam"});
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("my_adam") != std::string::npos);
    CHECK(std::string(e.what()).find("-0.5") != std::string::npos);
  }
  // a clipping argument <= 0 is off, as in Keras
  CHECK_NOTHROW(SGD({.clipnorm = 0.0}));
}

TEST_CASE("a learning rate is a number or a schedule") {
  using namespace optimizers;
  SGD sgd({.learning_rate = schedules::ExponentialDecay(0.1, 10, 0.5)});
  CHECK(sgd.learning_rate_schedule() != nullptr);
  CHECK(sgd.learning_rate() == doctest::Approx(0.1));
  CHECK(sgd.get_config().at("learning_rate").at("class_name") == "ExponentialDecay");
  // as Keras: no learning_rate variable with a schedule, and the rate is not settable to a number
  CHECK(sgd.variables().size() == 1);
  CHECK_THROWS_AS(sgd.set_learning_rate(0.01), ValueError);
  SGD zero({.learning_rate = 0});  // a literal 0 is a number here, not a null schedule
  CHECK(zero.learning_rate() == 0.0);
  Adam adam;
  adam.set_learning_rate(schedules::PiecewiseConstantDecay({5}, {0.2, 0.1}));
  CHECK(adam.learning_rate() == doctest::Approx(0.2));
  CHECK(adam.variables().size() == 1);
}

TEST_CASE("exclude_from_weight_decay leaves matching variables undecayed") {
  // one SGD step with a zero gradient: decayed variables shrink by lr * wd, excluded ones stay
  Sequential model({Input({2}), layers::Dense(1, {.kernel_initializer = "ones", .bias_initializer = "ones"})});
  std::shared_ptr<Optimizer> sgd =
      std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = 0.5, .weight_decay = 0.1});
  sgd->exclude_from_weight_decay({}, {"bias"});
  model.compile({.optimizer = sgd, .loss = "mse"});
  // zeros in, target = prediction = bias: a zero gradient for the kernel and the bias
  Tensor x({4, 2}), y = Tensor::full({4, 1}, 1.0f);
  model.train_on_batch(x, y);
  auto w = model.get_weights();
  CHECK(w[0].at({0, 0}) == doctest::Approx(1.0f - 1.0f * 0.1f * 0.5f));
  CHECK(w[1].at({0}) == doctest::Approx(1.0f));
  CHECK_THROWS_AS(sgd->exclude_from_weight_decay({}, {"kernel"}), ValueError);
}
