// SGD, Adam and RMSprop against real Keras 3: the weights of a Dense trained for 3 steps on an MSE loss.
#include <doctest/doctest.h>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/core/dense.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

OptimizerArg make_optimizer(const nlohmann::json& c) {
  using namespace optimizers;
  const std::string cls = c.at("class_name");
  const auto& o = c.at("options");
  if (cls == "SGD")
    return SGD({.learning_rate = o.at("learning_rate").get<double>(), .momentum = o.value("momentum", 0.0),
                .nesterov = o.value("nesterov", false)});
  if (cls == "Adam")
    return Adam({.learning_rate = o.at("learning_rate").get<double>(), .beta_1 = o.value("beta_1", 0.9),
                 .beta_2 = o.value("beta_2", 0.999), .amsgrad = o.value("amsgrad", false)});
  if (cls == "RMSprop")
    return RMSprop({.learning_rate = o.at("learning_rate").get<double>(), .rho = o.value("rho", 0.9),
                    .momentum = o.value("momentum", 0.0), .centered = o.value("centered", false)});
  FAIL("unknown optimizer " << cls);
  return OptimizerArg("sgd");
}

}  // namespace

TEST_CASE("optimizers follow Keras 3's weight trajectory") {
  const auto& ref = keras_reference().at("optimizers");
  Tensor x = tensor_from(ref.at("x")), y = tensor_from(ref.at("y"));
  for (const auto& c : ref.at("cases")) {
    std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto dense = share(layers::Dense(2));
      Sequential model({Input({3}), dense});
      model.set_weights({tensor_from(ref.at("kernel")), tensor_from(ref.at("bias"))});
      OptimizerArg optimizer = make_optimizer(c);
      model.compile({.optimizer = optimizer, .loss = "mse"});
      const double atol = 1e-6;
      for (int step = 0; step < 3; ++step) {
        auto logs = model.train_on_batch(x, y);
        check_close(logs.at("loss"), c.at("losses")[step].get<double>(), 1e-5, 1e-6,
                    name + " loss at step " + std::to_string(step));
        auto w = model.get_weights();
        REQUIRE(w.size() == 2);
        check_close(w[0], c.at("weights")[step][0], 1e-5, atol, name + " kernel after step " + std::to_string(step));
        check_close(w[1], c.at("weights")[step][1], 1e-5, atol, name + " bias after step " + std::to_string(step));
      }
      auto& opt = *optimizer.get();
      CHECK(opt.iterations() == 3);
      CHECK(sorted_keys(opt.get_config()) == c.at("config_keys").get<std::vector<std::string>>());
      // Keras's optimizer.variables: iteration, learning_rate, then slots in Keras's build order
      auto vars = opt.variables();
      const auto& expected = c.at("variables");
      REQUIRE(vars.size() == expected.size());
      CHECK(vars[0]->name() == "iteration");
      CHECK(vars[1]->name() == "learning_rate");
      for (std::size_t i = 2; i < vars.size(); ++i) {
        // Keras prefixes the model's name ("sequential_3_dense_8_kernel_momentum"); compare the slot suffix
        std::string e = expected[i].get<std::string>();
        std::string suffix = e.substr(e.find("kernel") != std::string::npos ? e.find("kernel") : e.find("bias"));
        std::string n = vars[i]->name();
        CHECK_MESSAGE(n.size() >= suffix.size(), n);
        CHECK_MESSAGE(n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0, n << " vs " << e);
      }
    }
  }
}

TEST_CASE("optimizer identifiers and arguments") {
  CHECK(optimizers::get("adam")->class_name() == "Adam");
  CHECK(optimizers::get("Adam")->name() == "adam");
  CHECK(optimizers::get("RMSprop")->class_name() == "RMSprop");
  CHECK(optimizers::get("SGD")->learning_rate() == doctest::Approx(0.01));
  CHECK(optimizers::get("rmsprop")->learning_rate() == doctest::Approx(0.001));
  try {
    optimizers::get("adamw2");
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("rmsprop") != std::string::npos);
  }
  CHECK_THROWS_AS(optimizers::SGD({.learning_rate = -0.1}), ValueError);
  CHECK_THROWS_AS(optimizers::SGD({.momentum = 1.5}), ValueError);
  optimizers::Adam adam;
  CHECK_THROWS_AS(adam.set_learning_rate(-1), ValueError);
  adam.set_learning_rate(0.5);
  CHECK(adam.learning_rate() == doctest::Approx(0.5));
  CHECK(adam.get_config().at("learning_rate").get<double>() == doctest::Approx(0.5));
  CHECK(adam.iterations() == 0);
}

TEST_CASE("optimizer slots are named and built like Keras's") {
  Variable kernel("kernel", {3, 2}), bias("bias", {2});
  kernel.set_path("dense/kernel");
  bias.set_path("dense/bias");
  optimizers::Adam adam({.amsgrad = true});
  adam.build({&kernel, &bias});
  adam.build({&kernel, &bias});
  auto vars = adam.variables();
  std::vector<std::string> paths;
  for (auto* v : vars) paths.push_back(v->path());
  CHECK(paths == std::vector<std::string>{"adam/iteration", "adam/learning_rate", "adam/dense_kernel_momentum",
                                          "adam/dense_kernel_velocity", "adam/dense_bias_momentum",
                                          "adam/dense_bias_velocity", "adam/dense_kernel_velocity_hat",
                                          "adam/dense_bias_velocity_hat"});
  CHECK(vars[2]->shape() == Shape{3, 2});
  CHECK(vars[2]->value().values()[0] == 0.0f);
  CHECK_FALSE(vars[2]->trainable());
  optimizers::SGD sgd;
  sgd.build({&kernel});
  CHECK(sgd.variables().size() == 2);
}
