// Central finite-difference check of every op kind's gradient rule, through autodiff, the memory
// plan and the oneDNN kernels: d/dx sum(w * f(x)) against (L(x+h) - L(x-h)) / 2h.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/losses/losses.hpp>
#include <strata/api/variable.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/ops.hpp>
#include <strata/backends/ops/random.hpp>
#include <strata/layers/conv/base_depthwise_conv.hpp>

using namespace strata;

namespace {

struct Case {
  Shape a, b, c;  // input shapes (b, c optional)
  std::function<Value(Value, Value, Value)> f;
  float lo = -1, hi = 1;
  float min_abs = 0;     // keep inputs this far from 0 (kinks of relu, abs, ...)
  float min_spacing = 0; // keep distinct input values this far apart (max pooling, max reduce)
};

Tensor random_tensor(const Shape& s, std::uint64_t seed, float lo, float hi, float min_abs, float min_spacing) {
  Tensor t(s);
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i) {
    float u = random::uniform(random::stream_key(seed, 7), i);
    if (min_spacing > 0) {
      // a random permutation of an evenly spaced grid: distinct values, min_spacing apart
      v[i] = lo + min_spacing * static_cast<float>((i * 7919 + seed) % v.size());
      continue;
    }
    float x = lo + (hi - lo) * u;
    if (min_abs > 0 && std::fabs(x) < min_abs) x = x < 0 ? -min_abs - std::fabs(x) : min_abs + std::fabs(x);
    v[i] = x;
  }
  return t;
}

void check(const Case& c, const char* name) {
  CAPTURE(name);
  Graph g;
  std::vector<Shape> shapes{c.a};
  if (!c.b.empty()) shapes.push_back(c.b);
  if (!c.c.empty()) shapes.push_back(c.c);
  std::vector<Value> in;
  for (std::size_t i = 0; i < shapes.size(); ++i) in.push_back(g.add_input(shapes[i], DType::float32, "in"));
  Value y = c.f(in[0], in.size() > 1 ? in[1] : Value{}, in.size() > 2 ? in[2] : Value{});
  Tensor w = random_tensor(y.shape(), 99, -1, 1, 0, 0);
  Value loss = ops::sum(y * g.add_constant(w));
  std::vector<Value> grads = gradients(loss, in);
  std::vector<ValueId> in_ids, out_ids{loss.id()};
  for (auto& v : in) in_ids.push_back(v.id());
  for (auto& d : grads) {
    REQUIRE(d.valid());
    out_ids.push_back(d.id());
  }
  Program program(std::move(g), in_ids, out_ids, backend());
  auto exec = program.make_execution();

  std::vector<Tensor> xs;
  for (std::size_t i = 0; i < shapes.size(); ++i)
    xs.push_back(random_tensor(shapes[i], 1 + i, c.lo, c.hi, c.min_abs, c.min_spacing));
  auto load = [&] {
    for (std::size_t i = 0; i < xs.size(); ++i) std::memcpy(exec->input(i), xs[i].raw(), xs[i].nbytes());
  };
  auto run_loss = [&] {
    load();
    exec->run();
    return static_cast<double>(*static_cast<float*>(exec->output(0)));
  };
  run_loss();
  std::vector<Tensor> analytic;
  for (std::size_t i = 0; i < xs.size(); ++i)
    analytic.push_back(Tensor::from_data(xs[i].shape(), DType::float32, exec->output(1 + i)));

  const float h = 1e-2f;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    auto values = xs[i].values();
    std::size_t n = values.size(), step = std::max<std::size_t>(1, n / 40);
    for (std::size_t k = 0; k < n; k += step) {
      float saved = values[k];
      values[k] = saved + h;
      double up = run_loss();
      values[k] = saved - h;
      double down = run_loss();
      values[k] = saved;
      double numeric = (up - down) / (2 * h);
      double got = analytic[i].values()[k];
      CAPTURE(i);
      CAPTURE(k);
      CHECK(got == doctest::Approx(numeric).epsilon(2e-2).scale(std::max(1.0, std::fabs(numeric))));
    }
  }
}

ConvolutionAttrs conv(std::vector<std::int64_t> s, std::vector<std::int64_t> d, std::vector<std::int64_t> pb,
                      std::vector<std::int64_t> pe, std::int64_t groups = 1) {
  ConvolutionAttrs a;
  a.strides = s;
  a.dilations = d;
  a.pad_begin = pb;
  a.pad_end = pe;
  a.groups = groups;
  return a;
}

PoolingAttrs pool(PoolingKind k, std::vector<std::int64_t> w, std::vector<std::int64_t> s,
                  std::vector<std::int64_t> pb, std::vector<std::int64_t> pe) {
  return PoolingAttrs{k, w, s, pb, pe};
}

}  // namespace

TEST_CASE("gradient: matmul, every transpose combination, odd sizes") {
  check({{3, 5}, {5, 7}, {}, [](Value a, Value b, Value) { return ops::matmul(a, b); }}, "nn");
  check({{3, 5}, {7, 5}, {}, [](Value a, Value b, Value) { return ops::matmul(a, b, false, true); }}, "nt");
  check({{5, 3}, {5, 7}, {}, [](Value a, Value b, Value) { return ops::matmul(a, b, true, false); }}, "tn");
  check({{5, 3}, {7, 5}, {}, [](Value a, Value b, Value) { return ops::matmul(a, b, true, true); }}, "tt");
  check({{2, 3, 4}, {2, 4, 3}, {}, [](Value a, Value b, Value) { return ops::matmul(a, b); }}, "batched");
}

TEST_CASE("gradient: convolution with strides, dilation, both paddings, groups, 1-3 spatial dims") {
  check({{2, 7, 5, 3}, {3, 3, 3, 4}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({1, 1}, {1, 1}, {0, 0}, {0, 0})); }},
        "valid");
  check({{2, 7, 5, 3}, {3, 3, 3, 4}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({2, 2}, {1, 1}, {1, 1}, {1, 1})); }},
        "same stride 2");
  check({{1, 9, 8, 2}, {3, 2, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({1, 1}, {2, 3}, {2, 1}, {2, 2})); }},
        "dilated");
  check({{2, 6, 5, 4}, {3, 3, 2, 6}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({1, 2}, {1, 1}, {1, 1}, {1, 1}, 2)); }},
        "groups 2");
  check({{2, 9, 3}, {4, 3, 2}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({2}, {1}, {1}, {2})); }},
        "1-D");
  check({{1, 4, 5, 3, 2}, {2, 3, 2, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv({1, 1, 1}, {1, 1, 1}, {0, 1, 0}, {1, 1, 1})); }},
        "3-D");
}

TEST_CASE("gradient: pooling max and average, with padding and strides") {
  check({{2, 7, 5, 3}, {}, {}, [](Value x, Value, Value) { return ops::pooling(x, pool(PoolingKind::max, {2, 2}, {2, 2}, {0, 0}, {1, 1})); }, -1, 1, 0, 0.03f},
        "max same");
  check({{2, 6, 6, 2}, {}, {}, [](Value x, Value, Value) { return ops::pooling(x, pool(PoolingKind::max, {3, 3}, {1, 2}, {0, 0}, {0, 0})); }, -1, 1, 0, 0.03f},
        "max overlapping");
  check({{2, 7, 5, 3}, {}, {}, [](Value x, Value, Value) { return ops::pooling(x, pool(PoolingKind::average, {2, 2}, {2, 2}, {0, 0}, {1, 1})); }},
        "avg same (excludes padding)");
  check({{2, 9, 3}, {}, {}, [](Value x, Value, Value) { return ops::pooling(x, pool(PoolingKind::average, {3}, {2}, {1}, {1})); }},
        "avg 1-D");
}

TEST_CASE("gradient: batch norm, training and inference") {
  check({{6, 3, 2, 4}, {4}, {4},
         [](Value x, Value gamma, Value beta) { return ops::batch_norm_training(x, gamma, beta, 1e-3f).y; }, -1, 1},
        "training");
  check({{5, 4}, {4}, {4},
         [](Value x, Value gamma, Value beta) {
           Graph& g = x.graph();
           Value mean = g.add_constant(tensor({0.1f, -0.2f, 0.3f, 0.0f}));
           Value var = g.add_constant(tensor({0.5f, 1.0f, 2.0f, 0.25f}));
           return ops::batch_norm_inference(x, gamma, beta, mean, var, 1e-3f);
         }},
        "inference");
}

TEST_CASE("gradient: every eltwise kind") {
  struct K {
    EltwiseKind kind;
    float alpha, beta, lo, hi, min_abs;
    const char* name;
  };
  for (const K& k : {K{EltwiseKind::linear, 2.f, 0.5f, -1, 1, 0, "linear"}, K{EltwiseKind::relu, 0.f, 0, -1, 1, 0.05f, "relu"},
                     K{EltwiseKind::relu, 0.2f, 0, -1, 1, 0.05f, "leaky_relu"}, K{EltwiseKind::elu, 1.f, 0, -2, 2, 0.05f, "elu"},
                     K{EltwiseKind::selu, 0, 0, -2, 2, 0.05f, "selu"}, K{EltwiseKind::gelu_erf, 0, 0, -3, 3, 0, "gelu_erf"},
                     K{EltwiseKind::gelu_tanh, 0, 0, -3, 3, 0, "gelu_tanh"}, K{EltwiseKind::sigmoid, 0, 0, -4, 4, 0, "sigmoid"},
                     K{EltwiseKind::tanh, 0, 0, -2, 2, 0, "tanh"}, K{EltwiseKind::softplus, 0, 0, -3, 3, 0, "softplus"},
                     K{EltwiseKind::swish, 1.f, 0, -3, 3, 0, "swish"}, K{EltwiseKind::exp, 0, 0, -1, 1, 0, "exp"},
                     K{EltwiseKind::log, 0, 0, 0.5f, 2, 0, "log"}, K{EltwiseKind::sqrt, 0, 0, 0.5f, 2, 0, "sqrt"},
                     K{EltwiseKind::square, 0, 0, -2, 2, 0, "square"}, K{EltwiseKind::abs, 0, 0, -1, 1, 0.05f, "abs"},
                     K{EltwiseKind::clip, -0.5f, 0.5f, -0.4f, 0.4f, 0, "clip inside"},
                     K{EltwiseKind::pow, 1.5f, -1.f, 0.5f, 2, 0, "pow (reciprocal)"},
                     K{EltwiseKind::softsign, 0, 0, -3, 3, 0.05f, "softsign"}}) {
    check({{3, 7}, {}, {}, [k](Value x, Value, Value) { return ops::eltwise(x, k.kind, k.alpha, k.beta); }, k.lo, k.hi, k.min_abs},
          k.name);
  }
}

TEST_CASE("gradient: softmax and log-softmax over the last and a middle axis") {
  check({{3, 5}, {}, {}, [](Value x, Value, Value) { return ops::softmax(x); }, -2, 2}, "softmax");
  check({{3, 5}, {}, {}, [](Value x, Value, Value) { return ops::log_softmax(x); }, -2, 2}, "log_softmax");
  check({{2, 4, 3}, {}, {}, [](Value x, Value, Value) { return ops::softmax(x, 1); }, -2, 2}, "softmax axis 1");
}

TEST_CASE("gradient: binary ops with broadcasting on either side") {
  auto bin = [](BinaryKind k) { return [k](Value a, Value b, Value) { return ops::binary(a, b, k); }; };
  check({{3, 4}, {4}, {}, bin(BinaryKind::add)}, "add b broadcast");
  check({{1, 4}, {3, 1}, {}, bin(BinaryKind::add)}, "add both broadcast");
  check({{3, 4}, {3, 4}, {}, bin(BinaryKind::sub)}, "sub");
  check({{4}, {3, 4}, {}, bin(BinaryKind::sub)}, "sub a broadcast");
  check({{2, 3, 4}, {3, 1}, {}, bin(BinaryKind::mul)}, "mul");
  check({{3, 4}, {4}, {}, bin(BinaryKind::div), 0.5f, 2.f}, "div");
  check({{3, 4}, {3, 4}, {}, bin(BinaryKind::max), -1, 1, 0, 0.03f}, "max");
  check({{3, 4}, {3, 4}, {}, bin(BinaryKind::min), -1, 1, 0, 0.03f}, "min");
  check({{3, 4}, {4}, {}, bin(BinaryKind::pow), 0.5f, 2.f}, "pow");
}

TEST_CASE("gradient: reductions, broadcast, reshape, transpose") {
  check({{3, 4, 5}, {}, {}, [](Value x, Value, Value) { return ops::sum(x, {1}); }}, "sum axis 1");
  check({{3, 4, 5}, {}, {}, [](Value x, Value, Value) { return ops::mean(x, {0, 2}, true); }}, "mean keepdims");
  check({{3, 4, 5}, {}, {}, [](Value x, Value, Value) { return ops::max(x, {2}); }, -1, 1, 0, 0.03f}, "max axis 2");
  check({{3, 4}, {}, {}, [](Value x, Value, Value) { return ops::reduce(x, ReduceKind::min, {0}); }, -1, 1, 0, 0.03f}, "min");
  check({{3, 1}, {}, {}, [](Value x, Value, Value) { return ops::broadcast_to(x, {2, 3, 4}); }}, "broadcast_to");
  check({{3, 4}, {}, {}, [](Value x, Value, Value) { return ops::reshape(x, {2, -1}) * 2.0f; }}, "reshape");
  check({{2, 3, 4}, {}, {}, [](Value x, Value, Value) { return ops::transpose(x, {2, 0, 1}); }}, "transpose");
}

TEST_CASE("gradient: dropout is the mask") {
  Variable seed("seed", {}, DType::int64, false);
  seed.assign_scalar(42);
  check({{4, 9}, {}, {}, [&seed](Value x, Value, Value) {
           return ops::dropout(x, 0.3f, x.graph().add_variable(seed), 0);
         }},
        "dropout");
}

// ---- pooling, reshaping and merging (issue 4) ------------------------------------------------------

TEST_CASE("gradient: channels-first pooling in 1-3 spatial dims") {
  auto cf = [](PoolingAttrs a) {
    a.channels_first = true;
    return a;
  };
  check({{2, 3, 9}, {}, {}, [&](Value x, Value, Value) { return ops::pooling(x, cf(pool(PoolingKind::max, {3}, {2}, {1}, {1}))); }, -1, 1, 0, 0.03f},
        "max 1-D channels_first");
  check({{2, 2, 7, 5}, {}, {}, [&](Value x, Value, Value) { return ops::pooling(x, cf(pool(PoolingKind::average, {2, 3}, {2, 1}, {0, 1}, {1, 1}))); }},
        "avg 2-D channels_first");
  check({{1, 4, 5, 3, 2}, {}, {}, [](Value x, Value, Value) { return ops::pooling(x, pool(PoolingKind::max, {2, 2, 2}, {1, 2, 1}, {0, 0, 0}, {1, 1, 1})); }, -1, 1, 0, 0.03f},
        "max 3-D");
  check({{1, 2, 4, 5, 3}, {}, {}, [&](Value x, Value, Value) { return ops::pooling(x, cf(pool(PoolingKind::average, {3, 2, 2}, {2, 2, 1}, {1, 0, 0}, {1, 0, 1}))); }},
        "avg 3-D channels_first");
}

TEST_CASE("gradient: concat, slice, pad, repeat, bilinear resampling") {
  check({{2, 3, 4}, {2, 1, 4}, {2, 2, 4},
         [](Value a, Value b, Value c) { return ops::concat({a, b, c}, 1); }},
        "concat axis 1");
  check({{2, 3}, {2, 5}, {}, [](Value a, Value b, Value) { return ops::concat({a, b}, -1); }}, "concat last");
  check({{3, 5, 4}, {}, {}, [](Value x, Value, Value) { return ops::slice(x, {0, 1, 1}, {3, 4, 3}); }}, "slice");
  check({{2, 3, 2}, {}, {}, [](Value x, Value, Value) { return ops::pad(x, {0, 1, 2}, {0, 2, 0}); }}, "pad");
  check({{2, 3, 2}, {}, {}, [](Value x, Value, Value) { return ops::repeat(x, 3, 1); }}, "repeat");
  check({{2, 3, 4, 2}, {}, {}, [](Value x, Value, Value) { return ops::resampling(x, ResamplingKind::linear, {2, 3}); }},
        "bilinear channels_last");
  check({{2, 2, 3, 4}, {}, {}, [](Value x, Value, Value) { return ops::resampling(x, ResamplingKind::linear, {3, 2}, true); }},
        "bilinear channels_first");
}

// ---- the convolution layer family (issue 4): the ops each layer composes --------------------------------------
namespace {

ConvolutionAttrs conv_cf(std::vector<std::int64_t> s, std::vector<std::int64_t> d, std::vector<std::int64_t> pb,
                         std::vector<std::int64_t> pe, std::int64_t groups = 1) {
  ConvolutionAttrs a = conv(std::move(s), std::move(d), std::move(pb), std::move(pe), groups);
  a.channels_first = true;
  return a;
}

ops::ConvTransposeSpec transpose_spec(std::string padding, std::vector<std::int64_t> s, std::vector<std::int64_t> d,
                                      std::vector<std::int64_t> output_padding = {}, bool channels_first = false) {
  return {std::move(padding), std::move(s), std::move(d), std::move(output_padding), channels_first};
}

}  // namespace

TEST_CASE("gradient: channels_first convolution (Conv1D/2D/3D data_format) with a channel bias") {
  check({{2, 3, 7, 5}, {3, 3, 3, 4}, {4, 1, 1},
         [](Value x, Value w, Value b) { return ops::convolution(x, w, conv_cf({2, 1}, {1, 1}, {1, 1}, {1, 1})) + b; }},
        "2-D same stride 2, bias");
  check({{2, 4, 9}, {3, 2, 4}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv_cf({1}, {2}, {4}, {0}, 2)); }},
        "1-D causal dilated, groups 2");
  check({{1, 2, 4, 5, 3}, {2, 3, 2, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::convolution(x, w, conv_cf({1, 2, 1}, {1, 1, 1}, {0, 1, 0}, {1, 1, 1})); }},
        "3-D");
}

TEST_CASE("gradient: conv_transpose (Conv1D/2D/3DTranspose): padding, strides, output_padding, dilation, formats") {
  check({{2, 4, 5, 3}, {3, 3, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::conv_transpose(x, w, transpose_spec("valid", {1, 1}, {1, 1})); }},
        "valid");
  check({{2, 4, 3, 2}, {3, 4, 3, 2}, {},
         [](Value x, Value w, Value) { return ops::conv_transpose(x, w, transpose_spec("same", {2, 3}, {1, 1})); }},
        "same strides (2, 3)");
  check({{1, 4, 3, 2}, {3, 4, 2, 2}, {},
         [](Value x, Value w, Value) {
           return ops::conv_transpose(x, w, transpose_spec("same", {2, 3}, {1, 1}, {1, 2}));
         }},
        "same output_padding");
  check({{2, 3, 5}, {3, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::conv_transpose(x, w, transpose_spec("valid", {2}, {1}, {1}, true)); }},
        "1-D channels_first output_padding");
  check({{1, 4, 3}, {2, 2, 3}, {},
         [](Value x, Value w, Value) { return ops::conv_transpose(x, w, transpose_spec("valid", {3}, {1})); }},
        "1-D stride 3 > kernel 2");
  check({{1, 6, 2}, {3, 2, 2}, {},
         [](Value x, Value w, Value) { return ops::conv_transpose(x, w, transpose_spec("same", {1}, {2})); }},
        "1-D dilated");
  check({{1, 2, 3, 2, 2}, {2, 2, 3, 2, 2}, {},
         [](Value x, Value w, Value) {
           return ops::conv_transpose(x, w, transpose_spec("same", {2, 1, 2}, {1, 1, 1}, {}, true));
         }},
        "3-D channels_first");
}

TEST_CASE("gradient: depthwise convolution (DepthwiseConv1D/2D, SeparableConv1D/2D)") {
  check({{2, 6, 5, 3}, {3, 3, 3, 2}, {},
         [](Value x, Value w, Value) {
           return layers::depthwise_convolution(x, w, conv({2, 1}, {1, 1}, {1, 1}, {1, 1}));
         }},
        "2-D depth_multiplier 2");
  check({{2, 3, 10}, {3, 3, 2}, {},
         [](Value x, Value w, Value) { return layers::depthwise_convolution(x, w, conv_cf({1}, {2}, {0}, {0})); }},
        "1-D channels_first dilated");
  check({{2, 7, 6, 2}, {3, 2, 2, 2}, {1, 1, 4, 3},
         [](Value x, Value dw, Value pw) {
           return ops::convolution(layers::depthwise_convolution(x, dw, conv({2, 2}, {1, 1}, {0, 0}, {0, 0})), pw,
                                   conv({1, 1}, {1, 1}, {0, 0}, {0, 0}));
         }},
        "separable 2-D");
}

TEST_CASE("gradients with a seed: the vector-Jacobian product of a conv_transpose") {
  // d/dx <seed, conv^T(x, w)> = conv(seed, w): the seeded backward pass equals the forward convolution
  Graph g;
  Value x = g.add_input({1, 3, 2}, DType::float32, "x");
  Value w = g.add_input({2, 2, 2}, DType::float32, "w");
  Value y = ops::conv_transpose(x, w, transpose_spec("valid", {2}, {1}));
  REQUIRE(y.shape() == Shape{1, 6, 2});
  Value seed = g.add_input({1, 6, 2}, DType::float32, "seed");
  auto grads = gradients(y, seed, {x});
  Value expected = ops::convolution(seed, w, conv({2}, {1}, {0}, {0}));
  Program program(std::move(g), {x.id(), w.id(), seed.id()}, {grads[0].id(), expected.id()}, backend());
  auto exec = program.make_execution();
  Tensor xs = random_tensor({1, 3, 2}, 1, -1, 1, 0, 0), ws = random_tensor({2, 2, 2}, 2, -1, 1, 0, 0),
         ss = random_tensor({1, 6, 2}, 3, -1, 1, 0, 0);
  std::memcpy(exec->input(0), xs.raw(), xs.nbytes());
  std::memcpy(exec->input(1), ws.raw(), ws.nbytes());
  std::memcpy(exec->input(2), ss.raw(), ss.nbytes());
  exec->run();
  const float* got = static_cast<const float*>(exec->output(0));
  const float* want = static_cast<const float*>(exec->output(1));
  for (int i = 0; i < 6; ++i) CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-6));
  Graph g2;
  Value a = g2.add_input({2, 3}, DType::float32, "a");
  CHECK_THROWS_AS(gradients(a * a, g2.add_input({3}, DType::float32, "s"), {a}), ShapeError);
}

namespace {
/// y_true as a fixed tensor: only y_pred (the input) is differentiated, as in training.
Value labels(Value like, std::vector<float> values) {
  return like.graph().add_constant(Tensor(like.shape(), std::move(values)), "y_true");
}
Value random_labels(Value like, float lo, float hi) {
  return like.graph().add_constant(random_tensor(like.shape(), 17, lo, hi, 0, 0), "y_true");
}
}  // namespace

TEST_CASE("gradient: the remaining simple losses (issue 5), away from their kinks") {
  using F = std::function<Value(Value, Value, Value)>;
  auto loss = [](std::function<Value(Value)> f) -> F { return [f](Value p, Value, Value) { return f(p); }; };
  const std::vector<float> binary{0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0};
  const std::vector<float> onehot{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0};
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::mean_squared_logarithmic_error(random_labels(p, 0.1f, 3), p); }),
         0.2f, 2.5f}, "msle");
  // |y_true| >= 1.5 > |y_pred|: no sign change of y_true - y_pred
  check({{4, 3}, {}, {}, loss([&](Value p) {
           return losses::mean_absolute_percentage_error(labels(p, {1.5f, -2, 2.5f, -1.5f, 3, 2, -2.5f, 1.5f, -3, 2, 1.5f, -2}), p);
         })}, "mape");
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::huber(random_labels(p, -1, 1), p, 0.7); }), -2.5f, 2.5f},
        "huber");
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::log_cosh(random_labels(p, -1, 1), p); }), -3, 3}, "log_cosh");
  check({{4, 5}, {}, {}, loss([](Value p) { return losses::kl_divergence(random_labels(p, 0.05f, 0.5f), p); }), 0.05f,
         0.9f}, "kld");
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::poisson(random_labels(p, 0, 4), p); }), 0.2f, 3}, "poisson");
  // |y_pred| < 1 keeps every 1 - t * y_pred > 0; |y_pred| > 1.2 puts half of them on the flat side
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::hinge(labels(p, binary), p); }), -0.8f, 0.8f}, "hinge");
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::hinge(labels(p, binary), p); }), 1.2f, 3}, "hinge_flat");
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::squared_hinge(labels(p, binary), p); }), -3, 3},
        "squared_hinge");
  // distinct values 0.13 apart (no ties in the max) and neg - pos + 1 never within 0.04 of 0
  check({{4, 5}, {}, {}, loss([&](Value p) { return losses::categorical_hinge(labels(p, onehot), p); }), 0.05f, 3, 0,
         0.13f}, "categorical_hinge");
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::cosine_similarity(random_labels(p, -1, 1), p); }), -1, 1,
         0.1f}, "cosine_similarity");
  check({{4, 3}, {}, {}, loss([](Value p) { return losses::cosine_similarity(random_labels(p, -1, 1), p, 0); }), -1,
         1, 0.1f}, "cosine_similarity_axis0");
}

TEST_CASE("gradient: focal crossentropies, Dice, Tversky and weighted reductions (issue 5)") {
  using F = std::function<Value(Value, Value, Value)>;
  auto loss = [](std::function<Value(Value)> f) -> F { return [f](Value p, Value, Value) { return f(p); }; };
  const std::vector<float> binary{0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0};
  const std::vector<float> onehot{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0};
  // probabilities inside (0.1, 0.9): away from the clipping at 1e-7
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::binary_focal_crossentropy(labels(p, binary), p); }), 0.1f,
         0.9f}, "binary_focal_crossentropy");
  check({{4, 3}, {}, {}, loss([&](Value p) {
           return losses::binary_focal_crossentropy(labels(p, binary), p, true, 0.4, 1.5, true, 0.1);
         }), -3, 3}, "binary_focal_crossentropy_logits_balanced");
  check({{4, 5}, {}, {}, loss([&](Value p) { return losses::categorical_focal_crossentropy(labels(p, onehot), p); }),
         0.1f, 0.9f}, "categorical_focal_crossentropy");
  check({{4, 5}, {}, {}, loss([&](Value p) {
           return losses::categorical_focal_crossentropy(labels(p, onehot), p, 0.5, 1.0, true, 0.1);
         }), -3, 3}, "categorical_focal_crossentropy_logits");
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::dice(labels(p, binary), p); }), 0.1f, 0.9f}, "dice");
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::dice(labels(p, binary), p, {1}); }), 0.1f, 0.9f},
        "dice_axis");
  check({{4, 3}, {}, {}, loss([&](Value p) { return losses::tversky(labels(p, binary), p, 0.3, 0.7, {1}); }), 0.1f,
         0.9f}, "tversky_axis");
  // the sample weight scales each sample's value; mean_with_sample_weight divides by the weights' sum
  for (const char* reduction : {"sum_over_batch_size", "sum", "mean_with_sample_weight"}) {
    losses::BinaryCrossentropy bce({.reduction = reduction});
    check({{4, 3}, {}, {}, loss([&](Value p) {
             return bce(labels(p, binary), p, p.graph().add_constant(Tensor({4}, std::vector<float>{0.5f, 2, 0, 1.5f})));
           }), 0.1f, 0.9f}, reduction);
  }
}

TEST_CASE("gradient: CTC loss (issue 5)") {
  auto ctc = [](Shape label_shape, std::vector<float> label_values) {
    return [label_shape, label_values](Value p, Value, Value) {
      return losses::ctc(p.graph().add_constant(Tensor(label_shape, label_values), "y_true"), p);
    };
  };
  // lengths 3, 2 (a repeat: a blank must separate), 1 and 0 (all blanks) in 6 steps of 4 classes
  check({{4, 6, 4}, {}, {}, ctc({4, 3}, {1, 2, 3, 2, 2, 0, 3, 0, 0, 0, 0, 0}), -3, 3}, "ctc");
  // labels as long as the steps: a single path
  check({{2, 4, 5}, {}, {}, ctc({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1}), -2, 2}, "ctc_full_length");
}
