// oneDNN backend kernels against naive reference loops, finite differences and adjoint identities.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <strata/api/graph/graph.hpp>
#include <strata/api/tensor.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/random.hpp>

using namespace strata;

namespace {

Backend& cpu() {
  static std::unique_ptr<Backend> b = make_onednn_backend();
  return *b;
}

struct OutSpec {
  Shape shape;
  DType dtype = DType::float32;
};

struct RunResult {
  std::vector<Tensor> outputs;
  std::vector<Tensor> inputs;  // after the launches (state ops update them in place)
  std::string impl;
};

/// Builds a one-op graph, prepares the kernel, runs it `launches` times over fresh buffers.
RunResult run_op(OpKind kind, OpAttrs attrs, const std::vector<Tensor>& inputs, const std::vector<OutSpec>& outs,
                 int launches = 1) {
  Graph g;
  Op op{kind, std::move(attrs), {}, {}, "test_layer"};
  for (const auto& t : inputs) {
    ValueInfo v;
    v.shape = t.shape();
    v.dtype = t.dtype();
    v.kind = ValueKind::input;
    g.values().push_back(v);
    op.inputs.push_back(static_cast<ValueId>(g.values().size() - 1));
  }
  for (const auto& o : outs) {
    ValueInfo v;
    v.shape = o.shape;
    v.dtype = o.dtype;
    g.values().push_back(v);
    op.outputs.push_back(static_cast<ValueId>(g.values().size() - 1));
  }
  g.ops().push_back(op);
  auto kernel = cpu().make_kernel(g, g.ops()[0]);
  std::vector<std::shared_ptr<void>> keep;
  KernelBuffers kb;
  for (const auto& t : inputs) {
    keep.push_back(cpu().allocate(t.nbytes()));
    cpu().copy_to_device(keep.back().get(), t.raw(), t.nbytes());
    kb.inputs.push_back(keep.back().get());
  }
  for (const auto& o : outs) {
    keep.push_back(cpu().allocate(static_cast<std::size_t>(num_elements(o.shape)) * dtype_size(o.dtype)));
    kb.outputs.push_back(keep.back().get());
  }
  if (kernel->scratch_bytes() > 0) {
    keep.push_back(cpu().allocate(kernel->scratch_bytes()));
    kb.scratch = keep.back().get();
  }
  auto launch = kernel->bind(kb);
  for (int i = 0; i < launches; ++i) launch();
  RunResult r;
  for (std::size_t i = 0; i < outs.size(); ++i)
    r.outputs.push_back(Tensor::from_data(outs[i].shape, outs[i].dtype, kb.outputs[i]));
  for (std::size_t i = 0; i < inputs.size(); ++i)
    r.inputs.push_back(Tensor::from_data(inputs[i].shape(), inputs[i].dtype(), kb.inputs[i]));
  r.impl = kernel->implementation();
  return r;
}

std::mt19937& rng() {
  static std::mt19937 gen(1234);
  return gen;
}

Tensor random_tensor(Shape shape, float lo = -1.f, float hi = 1.f) {
  Tensor t(std::move(shape));
  std::uniform_real_distribution<float> d(lo, hi);
  for (auto& v : t.values<float>()) v = d(rng());
  return t;
}

bool close(double a, double b, double rtol = 1e-4, double atol = 1e-5) {
  return std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

void check_close(const Tensor& got, const std::vector<double>& want, double rtol = 1e-4, double atol = 1e-5) {
  REQUIRE(got.size() == static_cast<std::int64_t>(want.size()));
  auto v = got.values<float>();
  int bad = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!close(v[i], want[i], rtol, atol)) {
      if (bad++ < 5) FAIL_CHECK("element " << i << ": got " << v[i] << ", want " << want[i]);
    }
  }
  CHECK(bad == 0);
}

void check_close(const Tensor& got, const Tensor& want, double rtol = 1e-4, double atol = 1e-5) {
  auto w = want.values<float>();
  check_close(got, std::vector<double>(w.begin(), w.end()), rtol, atol);
}

double dot(const Tensor& a, const Tensor& b) {
  double s = 0;
  auto va = a.values<float>(), vb = b.values<float>();
  for (std::size_t i = 0; i < va.size(); ++i) s += double(va[i]) * vb[i];
  return s;
}

double abs_dot(const Tensor& a, const Tensor& b) {
  double s = 0;
  auto va = a.values<float>(), vb = b.values<float>();
  for (std::size_t i = 0; i < va.size(); ++i) s += std::fabs(double(va[i]) * vb[i]);
  return s;
}

// ---------------------------------------------------------------------------------------------- convolution

/// Naive channels-last convolution for 1-3 spatial dims (all handled as 3-D with unit dims).
struct ConvRef {
  std::int64_t n, c, oc, groups;
  std::int64_t in[3], k[3], s[3], d[3], pb[3], out[3];

  ConvRef(const Shape& x, const Shape& w, const ConvolutionAttrs& a) {
    const std::size_t ns = x.size() - 2, lead = 3 - ns;
    n = x[0];
    c = x.back();
    oc = w.back();
    groups = a.groups;
    for (int i = 0; i < 3; ++i) {
      in[i] = k[i] = s[i] = d[i] = 1;
      pb[i] = 0;
    }
    for (std::size_t i = 0; i < ns; ++i) {
      in[lead + i] = x[1 + i];
      k[lead + i] = w[i];
      s[lead + i] = a.strides[i];
      d[lead + i] = a.dilations[i];
      pb[lead + i] = a.pad_begin[i];
    }
    for (std::size_t i = 0; i < 3; ++i) {
      std::int64_t pe = i >= lead ? a.pad_end[i - lead] : 0;
      out[i] = (in[i] + pb[i] + pe - ((k[i] - 1) * d[i] + 1)) / s[i] + 1;
    }
  }
  Shape out_shape(std::size_t ns) const {
    Shape y{n};
    for (std::size_t i = 3 - ns; i < 3; ++i) y.push_back(out[i]);
    y.push_back(oc);
    return y;
  }
  /// Visits every (x index, w index, y index) triple of the convolution sum.
  template <typename F>
  void each(F f) const {
    const std::int64_t ig = c / groups, og = oc / groups;
    for (std::int64_t b = 0; b < n; ++b)
      for (std::int64_t o0 = 0; o0 < out[0]; ++o0)
        for (std::int64_t o1 = 0; o1 < out[1]; ++o1)
          for (std::int64_t o2 = 0; o2 < out[2]; ++o2)
            for (std::int64_t k0 = 0; k0 < k[0]; ++k0)
              for (std::int64_t k1 = 0; k1 < k[1]; ++k1)
                for (std::int64_t k2 = 0; k2 < k[2]; ++k2) {
                  const std::int64_t i0 = o0 * s[0] - pb[0] + k0 * d[0];
                  const std::int64_t i1 = o1 * s[1] - pb[1] + k1 * d[1];
                  const std::int64_t i2 = o2 * s[2] - pb[2] + k2 * d[2];
                  if (i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0 || i2 >= in[2]) continue;
                  const std::int64_t xbase = (((b * in[0] + i0) * in[1] + i1) * in[2] + i2) * c;
                  const std::int64_t wbase = ((k0 * k[1] + k1) * k[2] + k2) * ig * oc;
                  const std::int64_t ybase = (((b * out[0] + o0) * out[1] + o1) * out[2] + o2) * oc;
                  for (std::int64_t o = 0; o < oc; ++o) {
                    const std::int64_t grp = o / og;
                    for (std::int64_t i = 0; i < ig; ++i) f(xbase + grp * ig + i, wbase + i * oc + o, ybase + o);
                  }
                }
  }
  std::vector<double> forward(const Tensor& x, const Tensor& w) const {
    std::vector<double> y(static_cast<std::size_t>(n * out[0] * out[1] * out[2] * oc), 0.0);
    auto vx = x.values<float>(), vw = w.values<float>();
    each([&](std::int64_t xi, std::int64_t wi, std::int64_t yi) { y[yi] += double(vx[xi]) * vw[wi]; });
    return y;
  }
};

struct ConvCase {
  Shape x;
  Shape kernel;  // spatial sizes
  std::int64_t out_channels;
  std::vector<std::int64_t> strides, dilations, pad_begin, pad_end;
  std::int64_t groups = 1;
};

void check_convolution(const ConvCase& cc) {
  const std::size_t ns = cc.x.size() - 2;
  ConvolutionAttrs a;
  a.strides = cc.strides;
  a.dilations = cc.dilations;
  a.pad_begin = cc.pad_begin;
  a.pad_end = cc.pad_end;
  a.groups = cc.groups;
  Shape w_shape = cc.kernel;
  w_shape.push_back(cc.x.back() / cc.groups);
  w_shape.push_back(cc.out_channels);
  ConvRef ref(cc.x, w_shape, a);
  const Shape y_shape = ref.out_shape(ns);
  Tensor x = random_tensor(cc.x), w = random_tensor(w_shape), dy = random_tensor(y_shape);

  auto fwd = run_op(OpKind::convolution, a, {x, w}, {{y_shape}});
  MESSAGE("convolution " << shape_str(cc.x) << " kernel " << shape_str(w_shape) << ": " << fwd.impl);
  CHECK(fwd.impl.rfind("ref", 0) != 0);
  check_close(fwd.outputs[0], ref.forward(x, w), 1e-4, 1e-4);

  // fused bias + relu
  ConvolutionAttrs fused = a;
  fused.post = {true, EltwiseKind::relu, 0.f, 0.f};
  Tensor bias = random_tensor({cc.out_channels});
  auto fy = run_op(OpKind::convolution, fused, {x, w, bias}, {{y_shape}});
  auto want = ref.forward(x, w);
  for (std::size_t i = 0; i < want.size(); ++i)
    want[i] = std::max(0.0, want[i] + bias.values<float>()[i % static_cast<std::size_t>(cc.out_channels)]);
  check_close(fy.outputs[0], want, 1e-4, 1e-4);

  // <dy, conv(x, w)> = <conv_bwd_data(dy, w), x> = <conv_bwd_weights(x, dy), w>
  ConvolutionAttrs ba = a;
  ba.input_shape = cc.x;
  ba.weights_shape = w_shape;
  auto bd = run_op(OpKind::convolution_backward_data, ba, {dy, w}, {{cc.x}});
  auto bw = run_op(OpKind::convolution_backward_weights, ba, {x, dy}, {{w_shape}});
  MESSAGE("  backward data: " << bd.impl << "; backward weights: " << bw.impl);
  CHECK(bd.impl.rfind("ref", 0) != 0);
  CHECK(bw.impl.rfind("ref", 0) != 0);

  // elementwise check of both backward ops against the reference's adjoints
  std::vector<double> dx(static_cast<std::size_t>(x.size()), 0.0), dw(static_cast<std::size_t>(w.size()), 0.0);
  auto vx = x.values<float>(), vw = w.values<float>(), vdy = dy.values<float>();
  ref.each([&](std::int64_t xi, std::int64_t wi, std::int64_t yi) {
    dx[xi] += double(vdy[yi]) * vw[wi];
    dw[wi] += double(vdy[yi]) * vx[xi];
  });
  check_close(bd.outputs[0], dx, 1e-4, 1e-4);
  check_close(bw.outputs[0], dw, 1e-4, 1e-4);

  Tensor yt = fwd.outputs[0];
  const double lhs = dot(dy, yt);
  const double scale = abs_dot(dy, yt) + 1e-6;
  CHECK(std::fabs(lhs - dot(bd.outputs[0], x)) <= 1e-4 * scale);
  CHECK(std::fabs(lhs - dot(bw.outputs[0], w)) <= 1e-4 * scale);
}

}  // namespace

TEST_CASE("onednn convolution 2-D with strides, dilation, padding and groups") {
  check_convolution({{3, 5, 7, 3}, {3, 3}, 4, {1, 1}, {1, 1}, {1, 1}, {1, 1}});
  check_convolution({{3, 5, 7, 3}, {3, 2}, 5, {2, 1}, {1, 2}, {1, 0}, {2, 1}});
  check_convolution({{2, 7, 6, 4}, {3, 3}, 6, {1, 2}, {2, 1}, {0, 1}, {1, 1}, 2});
  check_convolution({{2, 6, 5, 8}, {3, 3}, 8, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 8});  // depthwise
  check_convolution({{1, 9, 9, 32}, {3, 3}, 64, {1, 1}, {1, 1}, {1, 1}, {1, 1}});
}

TEST_CASE("onednn convolution 1-D and 3-D") {
  check_convolution({{3, 11, 3}, {3}, 4, {2}, {1}, {1}, {1}});
  check_convolution({{2, 10, 4}, {3}, 6, {1}, {2}, {2}, {2}, 2});
  check_convolution({{2, 4, 5, 6, 3}, {2, 3, 3}, 4, {1, 2, 1}, {1, 1, 2}, {0, 1, 2}, {1, 1, 2}});
  check_convolution({{1, 3, 4, 5, 4}, {3, 3, 3}, 4, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, 2});
}

// ---------------------------------------------------------------------------------------------- matmul

namespace {

/// Naive batched product with optional transposes; a and b have equal batch dims.
std::vector<double> matmul_ref(const Tensor& a, const Tensor& b, bool ta, bool tb, std::int64_t& m_out,
                               std::int64_t& n_out) {
  const Shape& sa = a.shape();
  const Shape& sb = b.shape();
  const std::size_t r = sa.size();
  const std::int64_t m = ta ? sa[r - 1] : sa[r - 2], k = ta ? sa[r - 2] : sa[r - 1];
  const std::int64_t n = tb ? sb[r - 2] : sb[r - 1];
  std::int64_t batch = 1;
  for (std::size_t i = 0; i + 2 < r; ++i) batch *= sa[i];
  auto va = a.values<float>(), vb = b.values<float>();
  std::vector<double> y(static_cast<std::size_t>(batch * m * n), 0.0);
  for (std::int64_t bi = 0; bi < batch; ++bi)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::int64_t p = 0; p < k; ++p) {
          const float av = ta ? va[bi * m * k + p * m + i] : va[bi * m * k + i * k + p];
          const float bv = tb ? vb[bi * k * n + j * k + p] : vb[bi * k * n + p * n + j];
          s += double(av) * bv;
        }
        y[bi * m * n + i * n + j] = s;
      }
  m_out = m;
  n_out = n;
  return y;
}

void check_matmul(Shape sa, Shape sb, bool ta, bool tb) {
  Tensor a = random_tensor(sa), b = random_tensor(sb);
  std::int64_t m, n;
  auto want = matmul_ref(a, b, ta, tb, m, n);
  Shape sy(sa.begin(), sa.end() - 2);
  sy.push_back(m);
  sy.push_back(n);
  auto r = run_op(OpKind::matmul, MatmulAttrs{ta, tb, {}}, {a, b}, {{sy}});
  MESSAGE("matmul " << shape_str(sa) << std::string(ta ? "T" : "") << " x " << shape_str(sb)
                    << std::string(tb ? "T" : "") << ": " << r.impl);
  CHECK(r.impl.rfind("ref", 0) != 0);
  check_close(r.outputs[0], want);
}

}  // namespace

TEST_CASE("onednn matmul with transposes and batches") {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      check_matmul(ta ? Shape{7, 5} : Shape{5, 7}, tb ? Shape{3, 7} : Shape{7, 3}, ta, tb);
      check_matmul(ta ? Shape{2, 3, 9, 5} : Shape{2, 3, 5, 9}, tb ? Shape{2, 3, 4, 9} : Shape{2, 3, 9, 4}, ta, tb);
    }
  check_matmul({1, 6, 4}, {1, 4, 3}, false, false);  // unit batch: flattened to one product
  check_matmul({64, 129}, {129, 33}, false, false);
}

TEST_CASE("onednn matmul fused bias and post-ops") {
  Tensor a = random_tensor({6, 5}), b = random_tensor({5, 4}), bias = random_tensor({4});
  std::int64_t m, n;
  auto base = matmul_ref(a, b, false, false, m, n);
  struct Case {
    PostOp post;
    std::function<double(double)> f;
  };
  const double selu_scale = 1.0507009873554805, selu_alpha = 1.6732632423543772;
  std::vector<Case> cases = {
      {{false}, [](double v) { return v; }},
      {{true, EltwiseKind::relu, 0.f, 0.f}, [](double v) { return std::max(v, 0.0); }},
      {{true, EltwiseKind::sigmoid, 0.f, 0.f}, [](double v) { return 1 / (1 + std::exp(-v)); }},
      {{true, EltwiseKind::selu, 0.f, 0.f},
       [=](double v) { return v > 0 ? selu_scale * v : selu_scale * selu_alpha * std::expm1(v); }},
      {{true, EltwiseKind::softsign, 0.f, 0.f}, [](double v) { return v / (1 + std::fabs(v)); }},
  };
  for (const auto& c : cases) {
    MatmulAttrs attrs;
    attrs.post = c.post;
    auto r = run_op(OpKind::matmul, attrs, {a, b, bias}, {{{6, 4}}});
    std::vector<double> want(base.size());
    for (std::size_t i = 0; i < base.size(); ++i) want[i] = c.f(base[i] + bias.values<float>()[i % 4]);
    check_close(r.outputs[0], want);
  }
}

TEST_CASE("onednn batched matmul with fused bias and post-op") {
  Tensor a = random_tensor({2, 3, 5, 4}), b = random_tensor({2, 3, 6, 4}), bias = random_tensor({6});
  std::int64_t m, n;
  auto base = matmul_ref(a, b, false, true, m, n);
  MatmulAttrs attrs{false, true, {true, EltwiseKind::gelu_tanh, 0.f, 0.f}};
  auto r = run_op(OpKind::matmul, attrs, {a, b, bias}, {{{2, 3, 5, 6}}});
  std::vector<double> want(base.size());
  for (std::size_t i = 0; i < base.size(); ++i) {
    const double v = base[i] + bias.values<float>()[i % 6];
    want[i] = 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
  }
  check_close(r.outputs[0], want);
}

// ---------------------------------------------------------------------------------------------- pooling

namespace {

void check_pooling(PoolingKind kind, Shape xs, std::vector<std::int64_t> window, std::vector<std::int64_t> strides,
                   std::vector<std::int64_t> pb, std::vector<std::int64_t> pe) {
  const std::size_t ns = xs.size() - 2, lead = 3 - ns;
  PoolingAttrs a{kind, window, strides, pb, pe};
  std::int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, p[3] = {0, 0, 0}, out[3] = {1, 1, 1};
  Shape ys{xs[0]};
  for (std::size_t i = 0; i < ns; ++i) {
    in[lead + i] = xs[1 + i];
    k[lead + i] = window[i];
    s[lead + i] = strides[i];
    p[lead + i] = pb[i];
    out[lead + i] = (xs[1 + i] + pb[i] + pe[i] - window[i]) / strides[i] + 1;
    ys.push_back(out[lead + i]);
  }
  const std::int64_t c = xs.back(), n = xs[0];
  ys.push_back(c);
  Tensor x = random_tensor(xs), dy = random_tensor(ys);
  auto vx = x.values<float>(), vdy = dy.values<float>();
  std::vector<double> y(static_cast<std::size_t>(num_elements(ys))), dx(static_cast<std::size_t>(x.size()), 0.0);
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o0 = 0; o0 < out[0]; ++o0)
      for (std::int64_t o1 = 0; o1 < out[1]; ++o1)
        for (std::int64_t o2 = 0; o2 < out[2]; ++o2)
          for (std::int64_t ch = 0; ch < c; ++ch) {
            double best = -1e30, sum = 0;
            std::int64_t best_i = -1, count = 0;
            std::vector<std::int64_t> touched;
            for (std::int64_t k0 = 0; k0 < k[0]; ++k0)
              for (std::int64_t k1 = 0; k1 < k[1]; ++k1)
                for (std::int64_t k2 = 0; k2 < k[2]; ++k2) {
                  std::int64_t i0 = o0 * s[0] - p[0] + k0, i1 = o1 * s[1] - p[1] + k1, i2 = o2 * s[2] - p[2] + k2;
                  if (i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0 || i2 >= in[2]) continue;
                  std::int64_t xi = (((b * in[0] + i0) * in[1] + i1) * in[2] + i2) * c + ch;
                  touched.push_back(xi);
                  sum += vx[xi];
                  ++count;
                  if (vx[xi] > best) best = vx[xi], best_i = xi;
                }
            std::int64_t yi = (((b * out[0] + o0) * out[1] + o1) * out[2] + o2) * c + ch;
            if (kind == PoolingKind::max) {
              y[yi] = best;
              dx[best_i] += vdy[yi];
            } else {
              y[yi] = sum / count;
              for (auto xi : touched) dx[xi] += vdy[yi] / count;
            }
          }
  std::vector<OutSpec> outs{{ys}};
  if (kind == PoolingKind::max) outs.push_back({ys, DType::int32});
  auto fwd = run_op(OpKind::pooling, a, {x}, outs);
  check_close(fwd.outputs[0], y);
  std::vector<Tensor> bin{dy, x};
  if (kind == PoolingKind::max) bin.push_back(fwd.outputs[1]);
  auto bwd = run_op(OpKind::pooling_backward, a, bin, {{xs}});
  check_close(bwd.outputs[0], dx);
}

}  // namespace

TEST_CASE("onednn pooling max and average with padding") {
  for (auto kind : {PoolingKind::max, PoolingKind::average}) {
    check_pooling(kind, {3, 5, 7, 3}, {2, 2}, {2, 2}, {0, 0}, {1, 1});
    check_pooling(kind, {2, 5, 7, 3}, {3, 3}, {1, 2}, {1, 1}, {1, 1});
    check_pooling(kind, {3, 9, 4}, {3}, {2}, {1}, {1});
    check_pooling(kind, {2, 3, 5, 4, 3}, {2, 3, 2}, {1, 2, 2}, {0, 1, 0}, {1, 1, 1});
  }
}

// ---------------------------------------------------------------------------------------------- batch norm

TEST_CASE("onednn batch norm forward (training, inference) and backward") {
  for (Shape xs : {Shape{6, 5}, Shape{3, 5, 7, 3}, Shape{2, 4, 3}, Shape{2, 3, 2, 3, 4}}) {
    const std::int64_t c = xs.back(), rows = num_elements(xs) / c;
    const float eps = 1e-3f;
    Tensor x = random_tensor(xs, -2.f, 3.f), gamma = random_tensor({c}, 0.5f, 1.5f), beta = random_tensor({c});
    Tensor dy = random_tensor(xs);
    auto vx = x.values<float>(), vg = gamma.values<float>(), vb = beta.values<float>(), vdy = dy.values<float>();
    std::vector<double> mean(c, 0.0), var(c, 0.0);
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j) mean[j] += vx[r * c + j] / double(rows);
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j) var[j] += std::pow(vx[r * c + j] - mean[j], 2) / double(rows);
    std::vector<double> y(x.size()), xhat(x.size());
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j) {
        xhat[r * c + j] = (vx[r * c + j] - mean[j]) / std::sqrt(var[j] + eps);
        y[r * c + j] = vg[j] * xhat[r * c + j] + vb[j];
      }
    auto fwd = run_op(OpKind::batch_norm, BatchNormAttrs{eps, true}, {x, gamma, beta}, {{xs}, {{c}}, {{c}}});
    check_close(fwd.outputs[0], y);
    check_close(fwd.outputs[1], mean);
    check_close(fwd.outputs[2], var);

    Tensor mv = random_tensor({c}), vv = random_tensor({c}, 0.5f, 2.f);
    auto inf = run_op(OpKind::batch_norm, BatchNormAttrs{eps, false}, {x, gamma, beta, mv, vv}, {{xs}});
    std::vector<double> yi(x.size());
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j)
        yi[r * c + j] = vg[j] * (vx[r * c + j] - mv.values<float>()[j]) / std::sqrt(vv.values<float>()[j] + eps) + vb[j];
    check_close(inf.outputs[0], yi);

    // dx = gamma / sqrt(var + eps) * (dy - mean(dy) - xhat * mean(dy * xhat))
    std::vector<double> dg(c, 0.0), db(c, 0.0), dx(x.size());
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j) {
        dg[j] += vdy[r * c + j] * xhat[r * c + j];
        db[j] += vdy[r * c + j];
      }
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < c; ++j)
        dx[r * c + j] = vg[j] / std::sqrt(var[j] + eps) *
                        (vdy[r * c + j] - db[j] / rows - xhat[r * c + j] * dg[j] / rows);
    auto bwd = run_op(OpKind::batch_norm_backward, BatchNormAttrs{eps, true},
                      {x, dy, gamma, fwd.outputs[1], fwd.outputs[2]}, {{xs}, {{c}}, {{c}}});
    MESSAGE("batch norm " << shape_str(xs) << ": " << fwd.impl << " / " << bwd.impl);
    check_close(bwd.outputs[0], dx, 1e-4, 1e-4);
    check_close(bwd.outputs[1], dg, 1e-4, 1e-4);
    check_close(bwd.outputs[2], db, 1e-4, 1e-4);
  }
}

// ---------------------------------------------------------------------------------------------- eltwise

namespace {

struct EltCase {
  EltwiseKind kind;
  float alpha, beta;
  float lo, hi;
  bool use_dst_ok;
  std::function<double(double)> f;
};

std::vector<EltCase> eltwise_cases() {
  const double ss = 1.0507009873554805, sa = 1.6732632423543772;
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  return {
      {EltwiseKind::linear, 0.7f, 0.3f, -2, 2, true, [](double v) { return 0.7 * v + 0.3; }},
      {EltwiseKind::relu, 0.1f, 0, -2, 2, true, [](double v) { return v > 0 ? v : 0.1 * v; }},
      {EltwiseKind::relu, 0.0f, 0, -2, 2, true, [](double v) { return v > 0 ? v : 0.0; }},
      {EltwiseKind::elu, 1.3f, 0, -2, 2, true, [](double v) { return v > 0 ? v : 1.3 * std::expm1(v); }},
      {EltwiseKind::selu, 0, 0, -2, 2, true, [=](double v) { return v > 0 ? ss * v : ss * sa * std::expm1(v); }},
      {EltwiseKind::gelu_erf, 0, 0, -3, 3, false, [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }},
      {EltwiseKind::gelu_tanh, 0, 0, -3, 3, false,
       [](double v) { return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v))); }},
      {EltwiseKind::sigmoid, 0, 0, -4, 4, true, sig},
      {EltwiseKind::tanh, 0, 0, -3, 3, true, [](double v) { return std::tanh(v); }},
      {EltwiseKind::softplus, 0, 0, -4, 4, false, [](double v) { return std::log1p(std::exp(v)); }},
      {EltwiseKind::swish, 1.2f, 0, -3, 3, false, [=](double v) { return v * sig(1.2 * v); }},
      {EltwiseKind::exp, 0, 0, -2, 2, true, [](double v) { return std::exp(v); }},
      {EltwiseKind::log, 0, 0, 0.1f, 3, false, [](double v) { return std::log(v); }},
      {EltwiseKind::sqrt, 0, 0, 0.1f, 3, true, [](double v) { return std::sqrt(v); }},
      {EltwiseKind::square, 0, 0, -2, 2, false, [](double v) { return v * v; }},
      {EltwiseKind::abs, 0, 0, -2, 2, false, [](double v) { return std::fabs(v); }},
      {EltwiseKind::clip, -0.5f, 0.6f, -1, 1, true, [](double v) { return std::min(std::max(v, -0.5), 0.6); }},
      {EltwiseKind::pow, 1.5f, 2.5f, 0.1f, 2, false, [](double v) { return 1.5 * std::pow(v, 2.5); }},
      {EltwiseKind::softsign, 0, 0, -3, 3, true, [](double v) { return v / (1 + std::fabs(v)); }},
  };
}

}  // namespace

TEST_CASE("onednn eltwise forward and backward (from x and from y) for every kind") {
  const Shape shape{3, 5, 7};
  for (const auto& c : eltwise_cases()) {
    CAPTURE(static_cast<int>(c.kind));
    Tensor x = random_tensor(shape, c.lo, c.hi);
    for (auto& v : x.values<float>())  // keep clear of kinks and clip bounds for finite differences
      for (float kink : {0.0f, c.alpha, c.beta})
        if (c.kind != EltwiseKind::linear && std::fabs(v - kink) < 1e-2f) v = kink + 2e-2f;
    Tensor dy = random_tensor(shape);
    std::vector<double> y(x.size()), dx(x.size());
    auto vx = x.values<float>(), vdy = dy.values<float>();
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double h = 1e-4;
      y[i] = c.f(vx[i]);
      dx[i] = vdy[i] * (c.f(vx[i] + h) - c.f(vx[i] - h)) / (2 * h);
    }
    EltwiseAttrs a{c.kind, c.alpha, c.beta, false};
    auto fwd = run_op(OpKind::eltwise, a, {x}, {{shape}});
    check_close(fwd.outputs[0], y);
    auto bwd = run_op(OpKind::eltwise_backward, a, {dy, x}, {{shape}});
    check_close(bwd.outputs[0], dx, 2e-4, 1e-4);
    if (c.use_dst_ok) {
      a.use_dst = true;
      auto bwd_dst = run_op(OpKind::eltwise_backward, a, {dy, fwd.outputs[0]}, {{shape}});
      check_close(bwd_dst.outputs[0], dx, 2e-4, 1e-4);
    }
  }
}

TEST_CASE("onednn eltwise backward from y rejects kinds that need x") {
  Tensor x = random_tensor({4});
  CHECK_THROWS_AS(run_op(OpKind::eltwise_backward, EltwiseAttrs{EltwiseKind::square, 0, 0, true}, {x, x}, {{{4}}}),
                  UnsupportedError);
}

// ---------------------------------------------------------------------------------------------- softmax

TEST_CASE("onednn softmax and log-softmax forward and backward over any axis") {
  const Shape shape{3, 5, 7};
  for (int axis = 0; axis < 3; ++axis)
    for (bool log : {false, true}) {
      CAPTURE(axis);
      CAPTURE(log);
      Tensor x = random_tensor(shape, -3, 3), dy = random_tensor(shape);
      std::int64_t outer = 1, len = shape[axis], inner = 1;
      for (int i = 0; i < axis; ++i) outer *= shape[i];
      for (int i = axis + 1; i < 3; ++i) inner *= shape[i];
      auto vx = x.values<float>(), vdy = dy.values<float>();
      std::vector<double> y(x.size()), dx(x.size());
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t in = 0; in < inner; ++in) {
          auto at = [&](std::int64_t k) { return (o * len + k) * inner + in; };
          double mx = -1e30, sum = 0;
          for (std::int64_t k = 0; k < len; ++k) mx = std::max<double>(mx, vx[at(k)]);
          for (std::int64_t k = 0; k < len; ++k) sum += std::exp(vx[at(k)] - mx);
          double sdy = 0, sdyy = 0;
          for (std::int64_t k = 0; k < len; ++k) {
            const double p = std::exp(vx[at(k)] - mx) / sum;
            y[at(k)] = log ? std::log(p) : p;
            sdy += vdy[at(k)];
            sdyy += vdy[at(k)] * p;
          }
          for (std::int64_t k = 0; k < len; ++k) {
            const double p = std::exp(vx[at(k)] - mx) / sum;
            dx[at(k)] = log ? vdy[at(k)] - p * sdy : p * (vdy[at(k)] - sdyy);
          }
        }
      SoftmaxAttrs a{axis, log};
      auto fwd = run_op(OpKind::softmax, a, {x}, {{shape}});
      check_close(fwd.outputs[0], y);
      auto bwd = run_op(OpKind::softmax_backward, a, {dy, fwd.outputs[0]}, {{shape}});
      check_close(bwd.outputs[0], dx);
    }
}

// ---------------------------------------------------------------------------------------------- binary

namespace {

Shape broadcast_shape(const Shape& a, const Shape& b) {
  const std::size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (std::size_t i = 0; i < r; ++i) {
    const std::int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
    const std::int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// Offset into `s` (right-aligned, broadcast) of the row-major element `i` of `out`.
std::int64_t broadcast_offset(const Shape& out, const Shape& s, std::int64_t i) {
  std::int64_t off = 0, stride = 1;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::size_t o = out.size() - 1 - k;
    const std::int64_t idx = i % out[o];
    i /= out[o];
    if (k < s.size()) {
      const std::int64_t d = s[s.size() - 1 - k];
      if (d != 1) off += idx * stride;
      stride *= d;
    }
  }
  return off;
}

double binary_ref(BinaryKind k, double a, double b) {
  switch (k) {
    case BinaryKind::add: return a + b;
    case BinaryKind::sub: return a - b;
    case BinaryKind::mul: return a * b;
    case BinaryKind::div: return a / b;
    case BinaryKind::max: return std::max(a, b);
    case BinaryKind::min: return std::min(a, b);
    case BinaryKind::pow: return std::pow(a, b);
    case BinaryKind::equal: return a == b;
    case BinaryKind::not_equal: return a != b;
    case BinaryKind::greater: return a > b;
    case BinaryKind::greater_equal: return a >= b;
    case BinaryKind::less: return a < b;
    case BinaryKind::less_equal: return a <= b;
  }
  return 0;
}

}  // namespace

TEST_CASE("onednn binary with broadcasting on either side") {
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{3, 5, 7}, {3, 5, 7}}, {{3, 5, 7}, {7}},    {{3, 5, 7}, {5, 1}}, {{7}, {3, 5, 7}},
      {{3, 1, 7}, {5, 1}},    {{}, {3, 4}},        {{3, 4}, {}},        {{2, 1, 4, 1}, {3, 1, 5}},
  };
  for (int k = 0; k <= static_cast<int>(BinaryKind::less_equal); ++k) {
    const auto kind = static_cast<BinaryKind>(k);
    for (const auto& [sa, sb] : shapes) {
      CAPTURE(k);
      const bool positive = kind == BinaryKind::pow || kind == BinaryKind::div;
      Tensor a = random_tensor(sa, positive ? 0.5f : -2.f, 2.f), b = random_tensor(sb, positive ? 0.5f : -2.f, 2.f);
      if (kind >= BinaryKind::equal) {  // quantized values so that ties occur
        for (auto& v : a.values<float>()) v = std::round(v);
        for (auto& v : b.values<float>()) v = std::round(v);
      }
      const Shape sy = broadcast_shape(sa, sb);
      std::vector<double> want(static_cast<std::size_t>(num_elements(sy)));
      for (std::size_t i = 0; i < want.size(); ++i)
        want[i] = binary_ref(kind, a.values<float>()[broadcast_offset(sy, sa, i)],
                             b.values<float>()[broadcast_offset(sy, sb, i)]);
      auto r = run_op(OpKind::binary, BinaryAttrs{kind}, {a, b}, {{sy}});
      check_close(r.outputs[0], want);
    }
  }
}

TEST_CASE("onednn binary equal and not_equal on int32 and int64") {
  Tensor a(Shape{2, 3}, std::vector<std::int32_t>{1, 2, 3, 4, 5, 6});
  Tensor b(Shape{3}, std::vector<std::int32_t>{1, 5, 6});
  auto eq = run_op(OpKind::binary, BinaryAttrs{BinaryKind::equal}, {a, b}, {{{2, 3}}});
  check_close(eq.outputs[0], std::vector<double>{1, 0, 0, 0, 1, 1});
  auto ne = run_op(OpKind::binary, BinaryAttrs{BinaryKind::not_equal}, {a, b}, {{{2, 3}}});
  check_close(ne.outputs[0], std::vector<double>{0, 1, 1, 1, 0, 0});
  Tensor a64(Shape{3}, std::vector<std::int64_t>{7, -1, 3});
  Tensor b64(Shape{1}, std::vector<std::int64_t>{3});
  auto eq64 = run_op(OpKind::binary, BinaryAttrs{BinaryKind::equal}, {a64, b64}, {{{3}}});
  check_close(eq64.outputs[0], std::vector<double>{0, 0, 1});
}

// ---------------------------------------------------------------------------------------------- reduce

namespace {

void check_reduce(const Shape& xs, const std::vector<int>& axes, ReduceKind kind, bool keepdims) {
  CAPTURE(shape_str(xs));
  CAPTURE(static_cast<int>(kind));
  Tensor x = random_tensor(xs);
  Shape ys, kept;
  for (int i = 0; i < static_cast<int>(xs.size()); ++i) {
    const bool r = std::find(axes.begin(), axes.end(), i) != axes.end();
    kept.push_back(r ? 1 : xs[i]);
    if (!r) ys.push_back(xs[i]);
    else if (keepdims) ys.push_back(1);
  }
  const std::int64_t n_out = num_elements(kept);
  std::vector<double> acc(n_out, kind == ReduceKind::max ? -1e30 : kind == ReduceKind::min ? 1e30 : 0.0);
  const std::int64_t count = x.size() / n_out;
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const std::int64_t o = broadcast_offset(xs, kept, i);
    const double v = x.values<float>()[i];
    if (kind == ReduceKind::max) acc[o] = std::max(acc[o], v);
    else if (kind == ReduceKind::min) acc[o] = std::min(acc[o], v);
    else acc[o] += v;
  }
  if (kind == ReduceKind::mean)
    for (auto& v : acc) v /= count;
  auto r = run_op(OpKind::reduce, ReduceAttrs{kind, axes, keepdims}, {x}, {{ys}});
  check_close(r.outputs[0], acc, 1e-4, 1e-4);
}

}  // namespace

TEST_CASE("onednn reduce sum, mean, max, min over axes and to a scalar") {
  const std::vector<std::vector<int>> axes_list = {{0}, {1}, {3}, {0, 2}, {1, 2}, {0, 1, 2}, {0, 1, 2, 3}, {0, 3}};
  for (int k = 0; k < 4; ++k)
    for (const auto& axes : axes_list)
      for (bool keepdims : {false, true}) check_reduce({3, 5, 7, 2}, axes, static_cast<ReduceKind>(k), keepdims);
  // larger shapes take the parallel paths (oneDNN's or the native one's)
  for (int k = 0; k < 4; ++k) {
    const auto kind = static_cast<ReduceKind>(k);
    check_reduce({300, 37}, {0}, kind, false);
    check_reduce({64, 33, 5}, {1}, kind, false);
    check_reduce({64, 33, 5}, {0, 2}, kind, false);
    check_reduce({5, 6, 300}, {0, 1}, kind, true);
    check_reduce({40, 9, 7, 16}, {0, 1, 2}, kind, false);
    check_reduce({1000}, {0}, kind, false);
  }
  // reducing a size-1 axis is a copy
  Tensor y = random_tensor({4, 1});
  auto r = run_op(OpKind::reduce, ReduceAttrs{ReduceKind::sum, {1}, false}, {y}, {{{4}}});
  check_close(r.outputs[0], y);
}

// ---------------------------------------------------------------------------------------------- shape ops

TEST_CASE("onednn transpose for float32, int32 and int64") {
  const Shape xs{3, 5, 7, 2};
  const std::vector<std::vector<int>> perms = {{0, 1, 2, 3}, {3, 2, 1, 0}, {0, 3, 1, 2}, {1, 0, 2, 3}, {2, 0, 3, 1}};
  for (const auto& perm : perms) {
    Shape ys;
    for (int p : perm) ys.push_back(xs[p]);
    Tensor x = random_tensor(xs);
    std::vector<std::int64_t> xi64(x.size());
    std::vector<std::int32_t> xi32(x.size());
    for (std::int64_t i = 0; i < x.size(); ++i) xi64[i] = (i << 33) + i * 7 - 5, xi32[i] = static_cast<int>(i * 3 - 11);
    std::vector<std::int64_t> src_index(num_elements(ys));
    for (std::int64_t i = 0; i < num_elements(ys); ++i) {
      std::int64_t rest = i, off = 0;
      std::vector<std::int64_t> idx(4);
      for (int d = 3; d >= 0; --d) idx[d] = rest % ys[d], rest /= ys[d];
      std::vector<std::int64_t> xidx(4);
      for (int d = 0; d < 4; ++d) xidx[perm[d]] = idx[d];
      for (int d = 0; d < 4; ++d) off = off * xs[d] + xidx[d];
      src_index[i] = off;
    }
    auto r = run_op(OpKind::transpose, TransposeAttrs{perm}, {x}, {{ys}});
    std::vector<double> want(src_index.size());
    for (std::size_t i = 0; i < want.size(); ++i) want[i] = x.values<float>()[src_index[i]];
    check_close(r.outputs[0], want, 0, 0);
    auto r64 = run_op(OpKind::transpose, TransposeAttrs{perm}, {Tensor(xs, xi64)}, {{ys, DType::int64}});
    auto r32 = run_op(OpKind::transpose, TransposeAttrs{perm}, {Tensor(xs, xi32)}, {{ys, DType::int32}});
    bool same = true;
    for (std::size_t i = 0; i < src_index.size(); ++i) {
      same = same && r64.outputs[0].values<std::int64_t>()[i] == xi64[src_index[i]];
      same = same && r32.outputs[0].values<std::int32_t>()[i] == xi32[src_index[i]];
    }
    CHECK(same);
  }
}

TEST_CASE("onednn broadcast_to and reshape copy") {
  for (const auto& [xs, ys] : std::vector<std::pair<Shape, Shape>>{
           {{7}, {3, 5, 7}}, {{5, 1}, {3, 5, 7}}, {{}, {2, 3}}, {{3, 1, 7}, {2, 3, 5, 7}}, {{2, 3}, {2, 3}}}) {
    Tensor x = random_tensor(xs);
    std::vector<double> want(static_cast<std::size_t>(num_elements(ys)));
    for (std::size_t i = 0; i < want.size(); ++i) want[i] = x.values<float>()[broadcast_offset(ys, xs, i)];
    auto r = run_op(OpKind::broadcast_to, ShapeAttrs{ys}, {x}, {{ys}});
    check_close(r.outputs[0], want, 0, 0);
  }
  Tensor x = random_tensor({3, 4});
  auto r = run_op(OpKind::reshape, ShapeAttrs{{4, 3}}, {x}, {{{4, 3}}});
  check_close(r.outputs[0], x, 0, 0);
}

// ---------------------------------------------------------------------------------------------- dropout

TEST_CASE("onednn dropout is deterministic per seed, keeps 1 - rate and scales by 1 / (1 - rate)") {
  const Shape xs{64, 33, 9};
  Tensor x = random_tensor(xs);
  Tensor seed(Shape{}, std::vector<std::int64_t>{42});
  const float rate = 0.3f;
  DropoutAttrs a{rate, 7, {}};
  auto r1 = run_op(OpKind::dropout, a, {x, seed}, {{xs}, {xs}});
  auto r2 = run_op(OpKind::dropout, a, {x, seed}, {{xs}, {xs}});
  const auto m1 = r1.outputs[1].values<float>(), m2 = r2.outputs[1].values<float>();
  CHECK(std::equal(m1.begin(), m1.end(), m2.begin()));
  std::int64_t kept = 0;
  bool exact = true;
  const std::uint64_t key = random::stream_key(42, 7);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const float want = random::uniform(key, i) >= rate ? 1.0f / (1.0f - rate) : 0.0f;
    exact = exact && m1[i] == want && r1.outputs[0].values<float>()[i] == x.values<float>()[i] * want;
    kept += m1[i] != 0;
  }
  CHECK(exact);
  CHECK(std::fabs(double(kept) / x.size() - (1 - rate)) < 0.01);

  Tensor seed2(Shape{}, std::vector<std::int64_t>{43});
  auto r3 = run_op(OpKind::dropout, a, {x, seed2}, {{xs}, {xs}});
  CHECK(!std::equal(m1.begin(), m1.end(), r3.outputs[1].values<float>().begin()));
  DropoutAttrs salted{rate, 8, {}};
  auto r4 = run_op(OpKind::dropout, salted, {x, seed}, {{xs}, {xs}});
  CHECK(!std::equal(m1.begin(), m1.end(), r4.outputs[1].values<float>().begin()));

  // noise shared along axis 1: every (i, :, k) has one mask value, drawn at index (i, 0, k)
  DropoutAttrs shared{rate, 7, {false, true, false}};
  auto r5 = run_op(OpKind::dropout, shared, {x, seed}, {{xs}, {xs}});
  const auto m5 = r5.outputs[1].values<float>();
  bool ok = true;
  for (std::int64_t i = 0; i < xs[0]; ++i)
    for (std::int64_t j = 0; j < xs[1]; ++j)
      for (std::int64_t k = 0; k < xs[2]; ++k) {
        const float u = random::uniform(key, static_cast<std::uint64_t>(i * xs[1] * xs[2] + k));
        ok = ok && m5[(i * xs[1] + j) * xs[2] + k] == (u >= rate ? 1.0f / (1.0f - rate) : 0.0f);
      }
  CHECK(ok);
}

// ---------------------------------------------------------------------------------------------- indexing

TEST_CASE("onednn one_hot for every label dtype, argmax and cast") {
  const std::vector<double> want{0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  auto check = [&](Tensor labels) {
    auto r = run_op(OpKind::one_hot, OneHotAttrs{4}, {labels}, {{{2, 2, 4}}});
    check_close(r.outputs[0], want, 0, 0);
  };
  check(Tensor(Shape{2, 2}, std::vector<std::int32_t>{1, 3, 0, 7}));
  check(Tensor(Shape{2, 2}, std::vector<std::int64_t>{1, 3, 0, -1}));
  check(Tensor(Shape{2, 2}, std::vector<std::uint8_t>{1, 3, 0, 4}));
  check(Tensor(Shape{2, 2}, std::vector<float>{1, 3, 0, 9}));

  Tensor x = random_tensor({3, 5, 7});
  for (int axis = 0; axis < 3; ++axis) {
    Shape ys{3, 5, 7};
    ys.erase(ys.begin() + axis);
    auto r = run_op(OpKind::argmax, AxisAttrs{axis}, {x}, {{ys, DType::int32}});
    std::int64_t outer = 1, len = x.shape()[axis], inner = 1;
    for (int i = 0; i < axis; ++i) outer *= x.shape()[i];
    for (int i = axis + 1; i < 3; ++i) inner *= x.shape()[i];
    bool ok = true;
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t in = 0; in < inner; ++in) {
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < len; ++k)
          if (x.values<float>()[(o * len + k) * inner + in] > x.values<float>()[(o * len + best) * inner + in]) best = k;
        ok = ok && r.outputs[0].values<std::int32_t>()[o * inner + in] == best;
      }
    CHECK(ok);
  }
  Tensor ties(Shape{1, 4}, std::vector<float>{2, 5, 5, 1});
  CHECK(run_op(OpKind::argmax, AxisAttrs{1}, {ties}, {{{1}, DType::int32}}).outputs[0].values<std::int32_t>()[0] == 1);

  Tensor f(Shape{5}, std::vector<float>{1.7f, -2.5f, 0.f, 3.f, 100.9f});
  auto c = run_op(OpKind::cast, CastAttrs{DType::int32}, {f}, {{{5}, DType::int32}});
  CHECK(c.outputs[0].to_vector<std::int32_t>() == std::vector<std::int32_t>{1, -2, 0, 3, 100});
  auto back = run_op(OpKind::cast, CastAttrs{DType::float32}, {c.outputs[0]}, {{{5}}});
  check_close(back.outputs[0], std::vector<double>{1, -2, 0, 3, 100}, 0, 0);
  Tensor big = random_tensor({100000}, -1000, 1000);
  auto cb = run_op(OpKind::cast, CastAttrs{DType::int64}, {big}, {{{100000}, DType::int64}});
  bool ok = true;
  for (std::int64_t i = 0; i < big.size(); ++i)
    ok = ok && cb.outputs[0].values<std::int64_t>()[i] == static_cast<std::int64_t>(big.values<float>()[i]);
  CHECK(ok);
}

// ---------------------------------------------------------------------------------------------- state

TEST_CASE("onednn assign and assign_add") {
  Tensor var = random_tensor({3, 4}), value = random_tensor({3, 4});
  auto r = run_op(OpKind::assign, std::monostate{}, {var, value}, {});
  check_close(r.inputs[0], value, 0, 0);
  auto r2 = run_op(OpKind::assign_add, AssignAddAttrs{2.5}, {var}, {}, 2);
  std::vector<double> want;
  for (float v : var.values<float>()) want.push_back(v + 5.0);
  check_close(r2.inputs[0], want);
  Tensor it(Shape{}, std::vector<std::int64_t>{41});
  auto r3 = run_op(OpKind::assign_add, AssignAddAttrs{1}, {it}, {}, 3);
  CHECK(r3.inputs[0].values<std::int64_t>()[0] == 44);
}

namespace {

/// Runs `steps` optimizer updates through one bound kernel and by a double-precision hand loop.
void check_optimizer(const OptimizerUpdateAttrs& a, std::size_t slots) {
  const Shape shape{5, 7};
  const std::size_t n = 35;
  Tensor var = random_tensor(shape), grad = random_tensor(shape);
  std::vector<Tensor> inputs{var, grad};
  for (std::size_t s = 0; s < slots; ++s) inputs.push_back(Tensor::zeros(shape));
  const float lr = 0.01f;
  inputs.push_back(Tensor(Shape{}, std::vector<float>{lr}));
  inputs.push_back(Tensor(Shape{}, std::vector<std::int64_t>{0}));

  Graph g;
  Op op{OpKind::optimizer_update, a, {}, {}, "opt"};
  for (const auto& t : inputs) {
    ValueInfo v;
    v.shape = t.shape();
    v.dtype = t.dtype();
    g.values().push_back(v);
    op.inputs.push_back(static_cast<ValueId>(g.values().size() - 1));
  }
  g.ops().push_back(op);
  auto kernel = cpu().make_kernel(g, g.ops()[0]);
  std::vector<std::shared_ptr<void>> bufs;
  KernelBuffers kb;
  for (const auto& t : inputs) {
    bufs.push_back(cpu().allocate(t.nbytes()));
    std::memcpy(bufs.back().get(), t.raw(), t.nbytes());
    kb.inputs.push_back(bufs.back().get());
  }
  auto launch = kernel->bind(kb);

  std::vector<double> v(var.values<float>().begin(), var.values<float>().end());
  std::vector<std::vector<double>> sl(slots, std::vector<double>(n, 0.0));
  auto* iterations = static_cast<std::int64_t*>(kb.inputs.back());
  for (int step = 0; step < 3; ++step) {
    launch();
    ++*iterations;  // the program's assign_add after the update
    for (std::size_t i = 0; i < n; ++i) {
      const double g_ = grad.values<float>()[i];
      switch (a.kind) {
        case OptimizerKind::sgd:
          if (a.momentum > 0) {
            sl[0][i] = a.momentum * sl[0][i] - lr * g_;
            v[i] += a.nesterov ? a.momentum * sl[0][i] - lr * g_ : sl[0][i];
          } else {
            v[i] -= lr * g_;
          }
          break;
        case OptimizerKind::adam: {
          const double t = step + 1;
          const double lr_t = lr * std::sqrt(1 - std::pow(double(a.beta_2), t)) / (1 - std::pow(double(a.beta_1), t));
          sl[0][i] += (g_ - sl[0][i]) * (1 - double(a.beta_1));
          sl[1][i] += (g_ * g_ - sl[1][i]) * (1 - double(a.beta_2));
          double vv = sl[1][i];
          if (a.amsgrad) vv = sl[2][i] = std::max(sl[2][i], sl[1][i]);
          v[i] -= lr_t * sl[0][i] / (std::sqrt(vv) + a.epsilon);
          break;
        }
        case OptimizerKind::rmsprop: {
          sl[0][i] = a.rho * sl[0][i] + (1 - double(a.rho)) * g_ * g_;
          double denom = sl[0][i] + a.epsilon;
          if (a.centered) {
            auto& avg = sl[a.momentum > 0 ? 2 : 1][i];
            avg = a.rho * avg + (1 - double(a.rho)) * g_;
            denom = sl[0][i] - avg * avg + a.epsilon;
          }
          const double inc = lr * g_ / std::sqrt(denom);
          if (a.momentum > 0) {
            sl[1][i] = a.momentum * sl[1][i] + inc;
            v[i] -= sl[1][i];
          } else {
            v[i] -= inc;
          }
          break;
        }
      }
    }
  }
  check_close(Tensor::from_data(shape, DType::float32, kb.inputs[0]), v, 1e-4, 1e-6);
  for (std::size_t s = 0; s < slots; ++s)
    check_close(Tensor::from_data(shape, DType::float32, kb.inputs[2 + s]), sl[s], 1e-4, 1e-6);
}

}  // namespace

TEST_CASE("onednn optimizer updates match Keras formulas over 3 steps") {
  OptimizerUpdateAttrs sgd;
  sgd.kind = OptimizerKind::sgd;
  check_optimizer(sgd, 0);
  sgd.momentum = 0.9f;
  check_optimizer(sgd, 1);
  sgd.nesterov = true;
  check_optimizer(sgd, 1);

  OptimizerUpdateAttrs adam;
  adam.kind = OptimizerKind::adam;
  check_optimizer(adam, 2);
  adam.amsgrad = true;
  check_optimizer(adam, 3);

  OptimizerUpdateAttrs rms;
  rms.kind = OptimizerKind::rmsprop;
  check_optimizer(rms, 1);
  rms.momentum = 0.5f;
  check_optimizer(rms, 2);
  rms.centered = true;
  check_optimizer(rms, 3);
  rms.momentum = 0;
  check_optimizer(rms, 2);
}

// ---------------------------------------------------------------------------------------------- binding

TEST_CASE("onednn kernels bind to several arenas and launch concurrently") {
  ConvolutionAttrs a;
  a.strides = {1, 1};
  a.dilations = {1, 1};
  a.pad_begin = {1, 1};
  a.pad_end = {1, 1};
  const Shape xs{2, 6, 5, 3}, ws{3, 3, 3, 8}, ys{2, 6, 5, 8};
  Graph g;
  for (const Shape& s : {xs, ws, ys}) {
    ValueInfo v;
    v.shape = s;
    g.values().push_back(v);
  }
  g.ops().push_back(Op{OpKind::convolution, a, {0, 1}, {2}, "conv"});
  auto kernel = cpu().make_kernel(g, g.ops()[0]);
  ConvRef ref(xs, ws, a);
  constexpr int kArenas = 4;
  std::vector<Tensor> xin;
  std::vector<std::function<void()>> launches;
  std::vector<std::shared_ptr<void>> bufs;
  std::vector<void*> outs;
  Tensor w = random_tensor(ws);
  for (int i = 0; i < kArenas; ++i) {
    xin.push_back(random_tensor(xs));
    KernelBuffers kb;
    for (const Tensor* t : {&xin.back(), &w}) {
      bufs.push_back(cpu().allocate(t->nbytes()));
      std::memcpy(bufs.back().get(), t->raw(), t->nbytes());
      kb.inputs.push_back(bufs.back().get());
    }
    bufs.push_back(cpu().allocate(num_elements(ys) * sizeof(float)));
    kb.outputs.push_back(bufs.back().get());
    outs.push_back(bufs.back().get());
    bufs.push_back(cpu().allocate(kernel->scratch_bytes()));
    kb.scratch = bufs.back().get();
    launches.push_back(kernel->bind(kb));
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kArenas; ++i)
    threads.emplace_back([&, i] {
      for (int r = 0; r < 20; ++r) launches[i]();
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kArenas; ++i) check_close(Tensor::from_data(ys, DType::float32, outs[i]), ref.forward(xin[i], w));
}

TEST_CASE("onednn backend reports unsupported requests as strata errors") {
  Tensor x = random_tensor({2, 3});
  CHECK_THROWS_AS(run_op(OpKind::matmul, MatmulAttrs{}, {x, x}, {{{2, 3}}}), BackendError);
  Tensor xi(Shape{2}, std::vector<std::int32_t>{1, 2});
  CHECK_THROWS_AS(run_op(OpKind::eltwise, EltwiseAttrs{EltwiseKind::relu}, {xi}, {{{2}, DType::int32}}),
                  UnsupportedError);
}
