// Initializers: Keras's VarianceScaling arithmetic and configs; determinism from the global seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <strata/api/initializers/initializers.hpp>
#include <strata/api/random.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;

namespace {
struct Stats {
  double mean = 0, stddev = 0, min = 1e30, max = -1e30;
};
Stats stats(const Tensor& t) {
  Stats s;
  for (float v : t.values()) {
    s.mean += v;
    s.min = std::min<double>(s.min, v);
    s.max = std::max<double>(s.max, v);
  }
  s.mean /= double(t.size());
  for (float v : t.values()) s.stddev += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(s.stddev / double(t.size()));
  return s;
}
}  // namespace

TEST_CASE("compute_fans follows Keras") {
  using initializers::compute_fans;
  CHECK(compute_fans({}) == std::pair<double, double>{1, 1});
  CHECK(compute_fans({7}) == std::pair<double, double>{7, 7});
  CHECK(compute_fans({20, 30}) == std::pair<double, double>{20, 30});
  CHECK(compute_fans({3, 5, 4, 8}) == std::pair<double, double>{60, 120});
}

TEST_CASE("variance-scaling initializers have Keras's limits and spreads") {
  Shape shape{200, 300};  // fan_in 200, fan_out 300
  Stats gu = stats(Initializer("glorot_uniform")(shape));
  double limit = std::sqrt(6.0 / 500.0);
  CHECK(gu.max <= limit);
  CHECK(gu.min >= -limit);
  CHECK(gu.max > 0.95 * limit);
  CHECK(gu.stddev == doctest::Approx(limit / std::sqrt(3.0)).epsilon(0.02));

  Stats hn = stats(Initializer("he_normal")(shape));
  double he_std = std::sqrt(2.0 / 200.0);  // truncated normal with stddev sqrt(scale/n)/0.8796 has this spread
  CHECK(hn.stddev == doctest::Approx(he_std).epsilon(0.03));
  CHECK(std::abs(hn.mean) < 0.005);
  CHECK(hn.max <= 2.0 * he_std / 0.87962566103423978 + 1e-6);

  Stats lu = stats(Initializer("lecun_uniform")(shape));
  CHECK(lu.max <= std::sqrt(3.0 / 200.0));
  Stats gn = stats(Initializer("glorot_normal")(shape));
  CHECK(gn.stddev == doctest::Approx(std::sqrt(2.0 / 500.0)).epsilon(0.03));
  Stats hu = stats(Initializer("he_uniform")(shape));
  CHECK(hu.max <= std::sqrt(6.0 / 200.0));
  Stats ln = stats(Initializer("lecun_normal")(shape));
  CHECK(ln.stddev == doctest::Approx(std::sqrt(1.0 / 200.0)).epsilon(0.03));

  Stats ru = stats(Initializer("random_uniform")(shape));
  CHECK(ru.min >= -0.05);
  CHECK(ru.max <= 0.05);
  Stats rn = stats(Initializer("random_normal")(shape));
  CHECK(rn.stddev == doctest::Approx(0.05).epsilon(0.03));
  CHECK(rn.max > 0.1);  // not truncated
  Stats tn = stats(Initializer("truncated_normal")(shape));
  CHECK(tn.max <= 0.1 + 1e-7);
  CHECK(tn.min >= -0.1 - 1e-7);

  Stats vs = stats(initializers::VarianceScaling({.scale = 2.0, .mode = "fan_out", .distribution = "uniform"})(shape));
  CHECK(vs.max <= std::sqrt(3.0 * 2.0 / 300.0));
  CHECK(vs.max > 0.95 * std::sqrt(3.0 * 2.0 / 300.0));
}

TEST_CASE("constant initializers") {
  CHECK(stats(Initializer("zeros")({4, 5})).max == 0.0);
  Stats ones = stats(Initializer("ones")({4, 5}));
  CHECK(ones.min == 1.0);
  CHECK(ones.max == 1.0);
  CHECK(stats(initializers::Constant(2.5)({3})).mean == doctest::Approx(2.5));
  Tensor ints = Initializer("ones")({3}, DType::int32);
  CHECK(ints.dtype() == DType::int32);
  CHECK(ints.item(2) == 1.0);
}

TEST_CASE("random initializers depend only on the global seed and call order") {
  set_random_seed(123);
  Tensor a1 = Initializer("glorot_uniform")({5, 4});
  Tensor a2 = Initializer("he_normal")({5, 4});
  set_random_seed(123);
  Tensor b1 = Initializer("glorot_uniform")({5, 4});
  Tensor b2 = Initializer("he_normal")({5, 4});
  CHECK(a1.to_vector() == b1.to_vector());
  CHECK(a2.to_vector() == b2.to_vector());
  CHECK(a1.to_vector() != Initializer("glorot_uniform")({5, 4}).to_vector());
  set_random_seed(124);
  CHECK(a1.to_vector() != Initializer("glorot_uniform")({5, 4}).to_vector());

  initializers::RandomNormal seeded({.seed = 9});
  CHECK(seeded({10}).to_vector() == seeded({10}).to_vector());
  CHECK(initializers::GlorotUniform({.seed = 9})({4, 4}).to_vector() ==
        initializers::GlorotUniform({.seed = 9})({4, 4}).to_vector());
}

TEST_CASE("initializer identifiers and serialized configs equal Keras's") {
  const auto& configs = keras_reference().at("initializer_configs");
  for (auto it = configs.begin(); it != configs.end(); ++it) {
    INFO(it.key());
    CHECK(initializers::serialize(Initializer(it.key())) == it.value());
  }
  CHECK(initializers::serialize(initializers::RandomUniform({.minval = -1, .maxval = 2, .seed = 5}))
            .at("config") == nlohmann::json{{"minval", -1.0}, {"maxval", 2.0}, {"seed", 5}});
  try {
    Initializer("glorot");
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("glorot_uniform") != std::string::npos);
  }
  CHECK_THROWS_AS(Initializer("constant"), ValueError);  // Keras 3 cannot build Constant from a string either
  CHECK_THROWS_AS(initializers::VarianceScaling({.mode = "fan_max"}), ValueError);
  CHECK_THROWS_AS(initializers::VarianceScaling({.scale = 0}), ValueError);
}

TEST_CASE("STFT kernels and configs equal Keras's (scipy windows)") {
  std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/stft_reference.json");
  REQUIRE(in.good());
  const nlohmann::json ref = nlohmann::json::parse(in);
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      // through Keras's serialized form, as load_model reads it
      Initializer init = initializers::deserialize({{"class_name", "STFT"}, {"config", c.at("config")}});
      CHECK(init.get_config() == c.at("config"));
      Tensor t = init(c.at("shape").get<Shape>());
      const auto& expected = c.at("values");
      REQUIRE(static_cast<std::size_t>(t.size()) == expected.size());
      double worst = 0;
      for (std::int64_t i = 0; i < t.size(); ++i)
        worst = std::max(worst, std::abs(t.item(i) - expected[i].get<double>()));
      INFO(name << ": largest difference " << worst);
      CHECK(worst <= 1e-6);
    }
  }
  CHECK(Initializer("stft").class_name() == "STFT");
  CHECK_THROWS_WITH_AS(initializers::STFT({.side = "both"}), doctest::Contains("side should be 'real' or 'imag'"),
                       ValueError);
  CHECK_THROWS_WITH_AS(initializers::STFT({.window = "kaiserr"}), doctest::Contains("unknown window 'kaiserr'"),
                       ValueError);
  CHECK_THROWS_WITH_AS(initializers::STFT({.scaling = "l3"}), doctest::Contains("Scaling is invalid"), ValueError);
  CHECK_THROWS_AS(initializers::STFT()(Shape{4, 3}), ValueError);
}
