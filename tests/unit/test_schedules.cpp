// Learning-rate schedules against real Keras 3: values at chosen steps, configs, serialization.
#include <doctest/doctest.h>

#include <strata/api/optimizers/optimizers.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
using namespace strata::optimizers;

TEST_CASE("schedules give Keras's learning rates") {
  for (const auto& c : keras_training_reference().at("schedules")) {
    const std::string name = c.at("name");
    CAPTURE(name);
    nlohmann::json spec = {{"class_name", c.at("class_name")}, {"config", c.at("config")}};
    auto schedule = schedules::deserialize(spec);
    CHECK(schedule->class_name() == c.at("class_name").get<std::string>());
    const auto& steps = c.at("steps");
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::int64_t step = steps[i];
      check_close((*schedule)(step), c.at("values")[i].get<double>(), 2e-6, 1e-12,
                  name + " at step " + std::to_string(step));
    }
    // the config and serialize() are Keras's, key for key (integer steps stay integers)
    CHECK_MESSAGE(schedule->get_config() == c.at("config"), schedule->get_config().dump() << " vs keras "
                                                                                           << c.at("config").dump());
    CHECK(schedules::serialize(*schedule) == c.at("serialized"));
    CHECK(schedules::deserialize(schedules::serialize(*schedule))->get_config() == schedule->get_config());
  }
}

TEST_CASE("schedules are built with designated options") {
  schedules::CosineDecay warm(0.0, 100, {.warmup_target = 0.1, .warmup_steps = 10});
  CHECK(warm(0) == 0.0f);
  CHECK(warm(5) == doctest::Approx(0.05));
  CHECK(warm(10) == doctest::Approx(0.1));
  CHECK(warm(110) == doctest::Approx(0.0).epsilon(1e-6));
  schedules::ExponentialDecay staircase(1.0, 10, 0.5, {.staircase = true});
  CHECK(staircase(9) == 1.0f);
  CHECK(staircase(10) == 0.5f);
  schedules::PiecewiseConstantDecay piecewise({2, 4}, {1.0, 0.5, 0.25});
  CHECK(piecewise(2) == 1.0f);
  CHECK(piecewise(3) == 0.5f);
  CHECK(piecewise(5) == 0.25f);
  schedules::PolynomialDecay poly(1.0, 10, {.end_learning_rate = 0.0, .power = 2.0});
  CHECK(poly(5) == doctest::Approx(0.25));
  CHECK(poly(20) == 0.0f);
  schedules::CosineDecayRestarts restarts(1.0, 10, {.t_mul = 1.0});
  CHECK(restarts(10) == doctest::Approx(1.0));
}

TEST_CASE("invalid schedule arguments raise ValueError naming the argument") {
  auto message = [](auto make) {
    try {
      make();
    } catch (const ValueError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message([] { schedules::ExponentialDecay(0.1, 0, 0.5); }).find("decay_steps") != std::string::npos);
  CHECK(message([] { schedules::PolynomialDecay(0.1, -3); }).find("decay_steps=-3") != std::string::npos);
  CHECK(message([] { schedules::InverseTimeDecay(0.1, 0, 0.5); }).find("InverseTimeDecay") != std::string::npos);
  CHECK(message([] { schedules::CosineDecay(0.1, 0); }).find("decay_steps") != std::string::npos);
  CHECK(message([] { schedules::CosineDecayRestarts(0.1, 0); }).find("first_decay_steps") != std::string::npos);
  CHECK(message([] { schedules::PiecewiseConstantDecay({1, 2}, {0.1, 0.2}); }).find("length") != std::string::npos);
  CHECK(message([] { schedules::deserialize({{"class_name", "WarmupCosine"}, {"config", nlohmann::json::object()}}); })
            .find("CosineDecayRestarts") != std::string::npos);
}
