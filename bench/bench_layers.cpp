// Per-layer benchmark of the convolution family: one training step's forward + backward (input and weight
// gradients) of each layer through strata, beside the same oneDNN primitives called directly in the same run
// (convolution or deconvolution forward, backward data, backward weights, with the weight reorders a training
// step needs). Prints one JSON object per layer; ratio = strata / direct (the issue asks <= 1.15).
//
//   build/bench/bench_layers [iterations]   (default 10 per round; 15 interleaved rounds, median and best)
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/strata.hpp>

using namespace strata;
using Clock = std::chrono::steady_clock;
using dnnl::memory;
using tag = memory::format_tag;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// The layer's forward y and its backward pass (d/dx, d/dweights) for an output gradient dy given as an input,
/// as one program, as in a training step. Layers run without bias, so both sides run the same three primitives.
struct StrataStep {
  std::unique_ptr<Program> program;
  std::unique_ptr<Program::Execution> exec;

  StrataStep(Layer& layer, const Shape& x_shape) {
    layer.ensure_built({x_shape});
    Graph g;
    Value x = g.add_input(x_shape, DType::float32, "x");
    CallContext ctx{g, true};
    Value y = layer.call(x, ctx);
    const Shape y_shape = y.shape();  // a copy: adding a value may move the graph's value table
    Value dy = g.add_input(y_shape, DType::float32, "dy");
    std::vector<Value> wrt{x};
    for (Variable* v : layer.weights()) wrt.push_back(ctx.variable(*v));
    std::vector<Value> grads = gradients(y, dy, wrt);
    std::vector<ValueId> outs{y.id()};
    for (auto& d : grads) outs.push_back(d.id());
    program = std::make_unique<Program>(std::move(g), std::vector<ValueId>{x.id(), dy.id()}, outs, backend());
    exec = program->make_execution();
    fill(exec->input(0), num_elements(x_shape), 0.5f);
    fill(exec->input(1), num_elements(y_shape), 1.0f);
  }
  static void fill(void* p, std::int64_t n, float v) { std::fill_n(static_cast<float*>(p), n, v); }
  void run() { exec->run(); }
};

/// Forward, backward data and backward weights of one (de)convolution, as a hand-written oneDNN training step:
/// the user's weights reordered to each primitive's layout, the weight gradient reordered back.
template <class Fwd, class BwdData, class BwdWeights>
struct DirectStep {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{eng};
  std::vector<std::pair<dnnl::primitive, std::unordered_map<int, memory>>> launches;

  DirectStep(dnnl::algorithm alg, const memory::desc& src, const memory::desc& dst, const memory::desc& w_user,
             const memory::dims& strides, const memory::dims& dilates, const memory::dims& pl,
             const memory::dims& pr) {
    memory::desc w_any(w_user.dims(), memory::data_type::f32, tag::any);
    typename Fwd::primitive_desc fwd(
        typename Fwd::desc(dnnl::prop_kind::forward_training, alg, src, w_any, dst, strides, dilates, pl, pr), eng);
    typename BwdData::primitive_desc bwd_data(typename BwdData::desc(alg, src, w_any, dst, strides, dilates, pl, pr),
                                              eng, fwd);
    typename BwdWeights::primitive_desc bwd_weights(
        typename BwdWeights::desc(alg, src, w_any, dst, strides, dilates, pl, pr), eng, fwd);
    memory x(src, eng), y(dst, eng), dy(dst, eng), dx(src, eng), w(w_user, eng), dw(w_user, eng);
    fill(x, 0.5f);
    fill(dy, 1.0f);
    fill(w, 0.01f);
    auto weights_as = [&](const memory::desc& md) {
      if (md == w_user) return w;
      memory m(md, eng);
      launches.push_back({dnnl::reorder(w, m), {{DNNL_ARG_FROM, w}, {DNNL_ARG_TO, m}}});
      return m;
    };
    memory w_fwd = weights_as(fwd.weights_desc());
    launches.push_back({Fwd(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w_fwd}, {DNNL_ARG_DST, y}}});
    memory w_bwd = bwd_data.weights_desc() == fwd.weights_desc() ? w_fwd : weights_as(bwd_data.weights_desc());
    launches.push_back({BwdData(bwd_data), {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, w_bwd}, {DNNL_ARG_DIFF_SRC, dx}}});
    memory dw_prim = bwd_weights.diff_weights_desc() == w_user ? dw : memory(bwd_weights.diff_weights_desc(), eng);
    launches.push_back({BwdWeights(bwd_weights), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, dw_prim}}});
    if (dw_prim.get_desc() != w_user)
      launches.push_back({dnnl::reorder(dw_prim, dw), {{DNNL_ARG_FROM, dw_prim}, {DNNL_ARG_TO, dw}}});
  }
  static void fill(memory& m, float v) {
    auto* p = static_cast<float*>(m.get_data_handle());
    std::fill(p, p + m.get_desc().get_size() / sizeof(float), v);
  }
  void run() {
    for (auto& [prim, args] : launches) prim.execute(stream, args);
    stream.wait();
  }
};
using DirectConv = DirectStep<dnnl::convolution_forward, dnnl::convolution_backward_data,
                              dnnl::convolution_backward_weights>;
using DirectDeconv = DirectStep<dnnl::deconvolution_forward, dnnl::deconvolution_backward_data,
                                dnnl::deconvolution_backward_weights>;

/// Keras's kernel (k..., a, b) viewed with oneDNN's logical dims: (b, a, k...) for a convolution, (groups,
/// b / groups, a, k...) for a grouped one, (a, b, k...) for a deconvolution (Keras's (k..., filters, in)).
memory::desc keras_kernel(const std::vector<memory::dim>& k, memory::dim a, memory::dim b, memory::dim groups = 1,
                          bool deconvolution = false) {
  std::vector<memory::dim> row_major(k.size() + 2);
  memory::dim stride = 1;
  std::vector<memory::dim> shape = k;
  shape.push_back(a);
  shape.push_back(b);
  for (std::size_t i = shape.size(); i-- > 0;) {
    row_major[i] = stride;
    stride *= shape[i];
  }
  memory::dims dims, strides;
  if (deconvolution) {
    dims = {a, b};
    strides = {b, 1};
  } else if (groups > 1) {
    dims = {groups, b / groups, a};
    strides = {b / groups, 1, b};
  } else {
    dims = {b, a};
    strides = {1, b};
  }
  for (std::size_t i = 0; i < k.size(); ++i) {
    dims.push_back(k[i]);
    strides.push_back(row_major[i]);
  }
  return memory::desc(dims, memory::data_type::f32, strides);
}

template <class Direct>
void compare(const char* name, const char* shape, Layer& layer, const Shape& x_shape, Direct& direct, int iterations) {
  StrataStep strata_step(layer, x_shape);
  for (int i = 0; i < 3; ++i) {
    strata_step.run();
    direct.run();
  }
  // short interleaved rounds, so both sides see the same machine load; the median round of each is reported
  std::vector<double> strata_s, direct_s;
  for (int round = 0; round < 15; ++round) {
    auto t = Clock::now();
    for (int i = 0; i < iterations; ++i) strata_step.run();
    strata_s.push_back(seconds_since(t) / iterations);
    t = Clock::now();
    for (int i = 0; i < iterations; ++i) direct.run();
    direct_s.push_back(seconds_since(t) / iterations);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double strata_ms = 1e3 * median(strata_s), direct_ms = 1e3 * median(direct_s);
  const double strata_best = 1e3 * *std::min_element(strata_s.begin(), strata_s.end());
  const double direct_best = 1e3 * *std::min_element(direct_s.begin(), direct_s.end());
  std::printf("{\"bench\":\"layer_fwd_bwd\",\"layer\":\"%s\",\"shape\":\"%s\",\"strata_ms\":%.3f,"
              "\"onednn_direct_ms\":%.3f,\"ratio\":%.3f,\"strata_best_ms\":%.3f,\"onednn_direct_best_ms\":%.3f,"
              "\"best_ratio\":%.3f}\n",
              name, shape, strata_ms, direct_ms, strata_ms / direct_ms, strata_best, direct_best,
              strata_best / direct_best);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 10;
  set_random_seed(0);
  const memory::dim n = 32;
  const auto f32 = memory::data_type::f32;
  using alg = dnnl::algorithm;
  {
    layers::Conv2D layer(64, 3, {.padding = "same", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 32, 32, 32}, f32, tag::nhwc),
                      memory::desc({n, 64, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 32, 64), {1, 1}, {0, 0},
                      {1, 1}, {1, 1});
    compare("Conv2D", "x (32, 32, 32, 32) -> 64 filters 3x3 same", layer, {n, 32, 32, 32}, direct, iterations);
  }
  {
    layers::Conv2D layer(64, 3, {.padding = "same", .data_format = "channels_first", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 32, 32, 32}, f32, tag::nchw),
                      memory::desc({n, 64, 32, 32}, f32, tag::nchw), keras_kernel({3, 3}, 32, 64), {1, 1}, {0, 0},
                      {1, 1}, {1, 1});
    compare("Conv2D channels_first", "x (32, 32, 32, 32) -> 64 filters 3x3 same", layer, {n, 32, 32, 32}, direct,
            iterations);
  }
  {
    // Keras "same", stride 2, kernel 3: jax pads (2, 1) around the dilated input, i.e. the forward convolution's
    // padding is (0, 1)
    layers::Conv2DTranspose layer(32, 3, {.strides = 2, .padding = "same", .use_bias = false});
    DirectDeconv direct(alg::deconvolution_direct, memory::desc({n, 64, 16, 16}, f32, tag::nhwc),
                        memory::desc({n, 32, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 32, 64, 1, true), {2, 2},
                        {0, 0}, {0, 0}, {1, 1});
    compare("Conv2DTranspose", "x (32, 16, 16, 64) -> 32 filters 3x3 stride 2 same", layer, {n, 16, 16, 64}, direct,
            iterations);
  }
  {
    layers::DepthwiseConv2D layer(3, {.padding = "same", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 64, 32, 32}, f32, tag::nhwc),
                      memory::desc({n, 64, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 1, 64, 64), {1, 1},
                      {0, 0}, {1, 1}, {1, 1});
    compare("DepthwiseConv2D", "x (32, 32, 32, 64) 3x3 same", layer, {n, 32, 32, 64}, direct, iterations);
  }
  {
    layers::Conv1D layer(64, 5, {.padding = "causal", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 64, 256}, f32, tag::nwc),
                      memory::desc({n, 64, 256}, f32, tag::nwc), keras_kernel({5}, 64, 64), {1}, {0}, {4}, {0});
    compare("Conv1D causal", "x (32, 256, 64) -> 64 filters k5 causal", layer, {n, 256, 64}, direct, iterations);
  }
  return 0;
}
