// SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization: identity at
// inference and configs against real Keras 3, noise statistics in training within analytic bounds, gradients
// given the sampled noise, the activity loss in fit/evaluate, and their errors.
#include <doctest/doctest.h>

#include <cmath>

#include <strata/api/losses/losses.hpp>
#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/sequential.hpp>

#include "issue4_reference.hpp"
#include "layer_gradient_check.hpp"

using namespace strata;
using namespace strata::testing;
using namespace strata::layers;

namespace {

template <class L, class... A>
LayerFactory4 make(A... args) {
  return [=] { return std::make_shared<L>(args...); };
}

const std::map<std::string, LayerFactory4>& factories() {
  static const std::map<std::string, LayerFactory4> f = {
      {"spatial_dropout1d_inference", make<SpatialDropout1D>(0.5)},
      {"spatial_dropout2d_inference",
       make<SpatialDropout2D>(0.3, SpatialDropoutOptions{.data_format = "channels_first", .seed = 3})},
      {"spatial_dropout3d_inference", make<SpatialDropout3D>(0.2)},
      {"gaussian_noise_inference", make<GaussianNoise>(0.5, GaussianNoiseOptions{.seed = 1})},
      {"gaussian_dropout_inference", make<GaussianDropout>(0.4)},
      {"alpha_dropout_inference", make<AlphaDropout>(0.2, AlphaDropoutOptions{.noise_shape = {-1, 1, 3}})},
      {"activity_regularization", make<ActivityRegularization>(ActivityRegularizationOptions{.l1 = 0.01, .l2 = 0.02})},
  };
  return f;
}

Tensor filled(const Shape& s, float v) { return Tensor::full(s, v); }

Tensor normal_input(const Shape& s, std::uint64_t seed) {
  Tensor t(s);
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const float u1 = random::uniform(random::stream_key(seed, 5), 2 * i) + 1e-7f;
    const float u2 = random::uniform(random::stream_key(seed, 5), 2 * i + 1);
    v[i] = std::sqrt(-2.0f * std::log(u1)) * std::cos(6.2831853f * u2);
  }
  return t;
}

struct Moments {
  double mean = 0, variance = 0;
};
Moments moments(const Tensor& t) {
  Moments m;
  const auto n = static_cast<double>(t.size());
  for (std::int64_t i = 0; i < t.size(); ++i) m.mean += t.item(i);
  m.mean /= n;
  for (std::int64_t i = 0; i < t.size(); ++i) m.variance += (t.item(i) - m.mean) * (t.item(i) - m.mean);
  m.variance /= n;
  return m;
}

}  // namespace

TEST_CASE("regularization layers match Keras 3 at inference (identity, configs, from_config)") {
  check_issue4_family("regularization", factories());
}

TEST_CASE("GaussianNoise in training: zero-mean noise of deviation stddev, fresh every step") {
  GaussianNoise layer(0.5, {.seed = 11});
  const Shape s{400, 500};  // 200,000 draws: the mean's standard error is 0.5 / 447
  Tensor x = filled(s, 2.0f);
  Tensor a = layer(x, true);
  Moments m = moments(a);
  CHECK(std::fabs(m.mean - 2.0) < 5 * 0.5 / std::sqrt(200000.0));
  // the variance of a sample variance of n normals is 2 sigma^4 / n
  CHECK(std::fabs(m.variance - 0.25) < 5 * std::sqrt(2.0 / 200000.0) * 0.25);
  Tensor b = layer(x, true);
  CHECK(a.item(0) != b.item(0));
  Tensor c = layer(x, false);
  for (std::int64_t i = 0; i < 100; ++i) CHECK(c.item(i) == 2.0);
  // the same seed gives the same first draw
  GaussianNoise twin(0.5, {.seed = 11});
  CHECK(twin(x, true).item(7) == a.item(7));
}

TEST_CASE("GaussianDropout in training: multiplicative noise of mean 1 and deviation sqrt(rate / (1 - rate))") {
  GaussianDropout layer(0.4, {.seed = 5});
  Tensor y = layer(filled({400, 500}, 1.0f), true);
  Moments m = moments(y);
  const double var = 0.4 / 0.6, n = 200000;
  CHECK(std::fabs(m.mean - 1.0) < 5 * std::sqrt(var / n));
  CHECK(std::fabs(m.variance - var) < 5 * std::sqrt(2.0 / n) * var);
}

TEST_CASE("AlphaDropout in training: drops a fraction rate to SELU's saturation and keeps mean 0, variance 1") {
  const double rate = 0.2;
  AlphaDropout layer(rate, {.seed = 9});
  Tensor x = normal_input({400, 500}, 3);
  Tensor y = layer(x, true);
  const double alpha_p = -1.6732632423543772 * 1.0507009873554805;
  const double a = std::pow((1 - rate) * (1 + rate * alpha_p * alpha_p), -0.5), b = -a * alpha_p * rate;
  std::int64_t dropped = 0;
  for (std::int64_t i = 0; i < y.size(); ++i) {
    if (std::fabs(y.item(i) - (a * alpha_p + b)) < 1e-5) {
      ++dropped;
    } else {
      CHECK(y.item(i) == doctest::Approx(a * x.item(i) + b).epsilon(1e-5));
    }
  }
  const double n = 200000, frac = static_cast<double>(dropped) / n;
  CHECK(std::fabs(frac - rate) < 5 * std::sqrt(rate * (1 - rate) / n));
  Moments m = moments(y);
  CHECK(std::fabs(m.mean) < 0.02);
  CHECK(std::fabs(m.variance - 1.0) < 0.03);

  // noise_shape (None, 1, 4): one decision per (sample, last index), shared along axis 1
  AlphaDropout shared(0.5, {.noise_shape = {-1, 1, 4}, .seed = 2});
  Tensor z = shared(filled({50, 6, 4}, 0.0f), true);
  for (std::int64_t s = 0; s < 50; ++s)
    for (std::int64_t j = 1; j < 6; ++j)
      for (std::int64_t c = 0; c < 4; ++c) CHECK(z.item((s * 6 + j) * 4 + c) == z.item(s * 6 * 4 + c));
}

TEST_CASE("SpatialDropout1D/2D/3D drop whole channels, in both data formats") {
  const double rate = 0.3;
  struct Case {
    std::shared_ptr<Layer> layer;
    Shape x;
    int channel_axis;
  };
  std::vector<Case> cases = {
      {std::make_shared<SpatialDropout1D>(rate, SpatialDropoutOptions{.seed = 1}), {64, 5, 32}, 2},
      {std::make_shared<SpatialDropout2D>(rate, SpatialDropoutOptions{.seed = 2}), {64, 3, 4, 32}, 3},
      {std::make_shared<SpatialDropout2D>(rate, SpatialDropoutOptions{.data_format = "channels_first", .seed = 3}),
       {64, 32, 3, 4}, 1},
      {std::make_shared<SpatialDropout3D>(rate, SpatialDropoutOptions{.seed = 4}), {64, 2, 2, 3, 32}, 4},
      {std::make_shared<SpatialDropout3D>(rate, SpatialDropoutOptions{.data_format = "channels_first", .seed = 5}),
       {64, 32, 2, 3, 2}, 1},
  };
  for (auto& c : cases) {
    CAPTURE(c.layer->name());
    Tensor y = (*c.layer)(filled(c.x, 1.0f), true);
    // one value per (sample, channel): 0 or 1 / (1 - rate), the same at every spatial position
    const int rank = static_cast<int>(c.x.size());
    std::vector<std::int64_t> strides(rank, 1);
    for (int d = rank - 2; d >= 0; --d) strides[d] = strides[d + 1] * c.x[d + 1];
    std::int64_t dropped = 0, decisions = 0, mismatches = 0;
    std::map<std::pair<std::int64_t, std::int64_t>, double> first;
    for (std::int64_t i = 0; i < y.size(); ++i) {
      const std::int64_t sample = i / strides[0], channel = (i / strides[c.channel_axis]) % c.x[c.channel_axis];
      const double v = y.item(i);
      CHECK((v == 0.0 || std::fabs(v - 1.0 / (1.0 - rate)) < 1e-6));
      auto [it, inserted] = first.emplace(std::make_pair(sample, channel), v);
      if (inserted) {
        ++decisions;
        dropped += v == 0.0;
      } else if (it->second != v) {
        ++mismatches;
      }
    }
    CHECK(mismatches == 0);
    CHECK(decisions == 64 * 32);
    const double frac = static_cast<double>(dropped) / static_cast<double>(decisions);
    CHECK(std::fabs(frac - rate) < 5 * std::sqrt(rate * (1 - rate) / static_cast<double>(decisions)));
  }
}

TEST_CASE("gradient: noise layers pass the gradient through the noise they sampled") {
  SUBCASE("GaussianNoise: dx = dy") {
    GaussianNoise layer(0.3);
    LayerGradientRunner r(layer, normal_input({4, 6}, 1), true);
    r.run();
    for (std::int64_t i = 0; i < 24; ++i) CHECK(r.result().dx.item(i) == doctest::Approx(r.result().w.item(i)));
  }
  SUBCASE("GaussianDropout: dx = dy * y / x") {
    GaussianDropout layer(0.3);
    Tensor x = normal_input({4, 6}, 2);
    LayerGradientRunner r(layer, x, true);
    r.run();
    for (std::int64_t i = 0; i < 24; ++i)
      CHECK(r.result().dx.item(i) ==
            doctest::Approx(r.result().w.item(i) * r.result().y.item(i) / x.item(i)).epsilon(1e-4));
  }
  SUBCASE("AlphaDropout: dx = a * dy where kept, 0 where dropped") {
    const double rate = 0.4;
    AlphaDropout layer(rate);
    LayerGradientRunner r(layer, normal_input({4, 6}, 3), true);
    r.run();
    const double alpha_p = -1.6732632423543772 * 1.0507009873554805;
    const double a = std::pow((1 - rate) * (1 + rate * alpha_p * alpha_p), -0.5), b = -a * alpha_p * rate;
    int dropped = 0;
    for (std::int64_t i = 0; i < 24; ++i) {
      const bool was_dropped = std::fabs(r.result().y.item(i) - (a * alpha_p + b)) < 1e-6;
      dropped += was_dropped;
      CHECK(r.result().dx.item(i) == doctest::Approx(was_dropped ? 0.0 : a * r.result().w.item(i)).epsilon(1e-5));
    }
    CHECK(dropped > 0);
    CHECK(dropped < 24);
  }
  SUBCASE("SpatialDropout2D: dx = dy * mask") {
    SpatialDropout2D layer(0.5, {.seed = 8});
    Tensor x = normal_input({4, 2, 2, 6}, 4);
    LayerGradientRunner r(layer, x, true);
    r.run();
    for (std::int64_t i = 0; i < x.size(); ++i)
      CHECK(r.result().dx.item(i) ==
            doctest::Approx(r.result().w.item(i) * r.result().y.item(i) / x.item(i)).epsilon(1e-4));
  }
  SUBCASE("ActivityRegularization: identity's gradient (the penalty reaches the loss through fit)") {
    ActivityRegularization layer({.l1 = 0.1, .l2 = 0.2});
    check_layer_gradients(layer, normal_input({3, 4}, 5), true);
  }
}

TEST_CASE("ActivityRegularization adds (l1 sum|a| + l2 sum a^2) / batch to fit's and evaluate's loss") {
  const double l1 = 0.01, l2 = 0.02;
  auto dense = share(Dense(3));
  Sequential model({Input({4}), dense, ActivityRegularization({.l1 = l1, .l2 = l2})});
  Tensor x = normal_input({5, 4}, 6), y = normal_input({5, 3}, 7);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.0}),
                 .loss = "mse"});
  Tensor a = model.predict(x);
  double mse = 0, abs_sum = 0, sq_sum = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    const double d = a.item(i) - y.item(i);
    mse += d * d;
    abs_sum += std::fabs(a.item(i));
    sq_sum += a.item(i) * a.item(i);
  }
  mse /= static_cast<double>(a.size());
  const double penalty = (l1 * abs_sum + l2 * sq_sum) / 5.0, expected = mse + penalty;
  CAPTURE(mse);
  CAPTURE(penalty);
  CHECK(model.train_on_batch(x, y).at("loss") == doctest::Approx(expected).epsilon(1e-5));
  CHECK(model.evaluate(x, y, {.verbose = 0}).at("loss") == doctest::Approx(expected).epsilon(1e-5));
  // the penalty is part of what fit minimizes: its gradient pulls the activations toward 0
  Sequential free_model({Input({4}), Dense(3, {.kernel_initializer = "ones"}),
                         ActivityRegularization({.l1 = 0.0, .l2 = 10.0})});
  free_model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.01}),
                      .loss = "mse"});
  Tensor zeros = Tensor::zeros({5, 3});
  const double before = free_model.evaluate(x, zeros, {.verbose = 0}).at("loss");
  for (int i = 0; i < 20; ++i) free_model.train_on_batch(x, zeros);
  CHECK(free_model.evaluate(x, zeros, {.verbose = 0}).at("loss") < 0.5 * before);
}

TEST_CASE("regularization layers: bad arguments raise errors naming the layer and the values") {
  check_throws_naming<ValueError>([] { GaussianNoise(1.5, {.name = "noise_big"}); }, {"noise_big", "stddev=1.5"});
  check_throws_naming<ValueError>([] { GaussianDropout(1.0, {.name = "gd_one"}); }, {"gd_one", "rate=1"});
  check_throws_naming<ValueError>([] { AlphaDropout(-0.1, {.name = "ad_neg"}); }, {"ad_neg", "rate=-0.1"});
  check_throws_naming<ValueError>([] { AlphaDropout(0.1, {.noise_shape = {-1, 0}, .name = "ad_ns"}); },
                                  {"ad_ns", "noise_shape", "index 1"});
  {
    AlphaDropout ad(0.1, {.noise_shape = {-1, 3}, .name = "ad_rank"});
    check_throws_naming<ShapeError>([&] { ad(Tensor({2, 3, 4}), true); }, {"ad_rank", "(None, 3)", "(2, 3, 4)"});
  }
  check_throws_naming<ValueError>([] { SpatialDropout2D(0.5, {.data_format = "nchw", .name = "sd_format"}); },
                                  {"sd_format", "data_format=nchw"});
  check_throws_naming<ValueError>([] { SpatialDropout1D(1.0, {.name = "sd_rate"}); }, {"sd_rate", "rate=1"});
  {
    SpatialDropout2D sd(0.5, {.name = "sd_rank"});
    check_throws_naming<ShapeError>([&] { sd.ensure_built({{-1, 4, 3}}); }, {"sd_rank", "expected ndim=4", "found ndim=3"});
  }
  check_throws_naming<ValueError>([] { ActivityRegularization({.l1 = -1, .name = "ar_neg"}); }, {"ar_neg", "l1=-1"});
}
