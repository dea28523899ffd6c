#pragma once
// Harness shared by the per-layer benchmarks (bench_layers.cpp, bench_layers_nonconv.cpp): one training step of a
// strata layer (forward, then the gradients of its inputs and trainable weights for a given output gradient, as one
// program) timed in short interleaved rounds beside a hand-written oneDNN step of the same primitives.
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/strata.hpp>

namespace layer_bench {

using namespace strata;
using Clock = std::chrono::steady_clock;
using dnnl::memory;
using tag = memory::format_tag;

inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// The layer's forward y and its backward pass (d/dinputs, d/dtrainable weights) for an output gradient dy given as
/// an input, as one program, as in a training step (training-mode call, so side effects such as batch norm's moving
/// statistics run too).
struct StrataStep {
  std::unique_ptr<Program> program;
  std::unique_ptr<Program::Execution> exec;

  StrataStep(Layer& layer, const std::vector<Shape>& x_shapes) {
    layer.ensure_built(x_shapes);
    Graph g;
    std::vector<Value> xs;
    for (std::size_t i = 0; i < x_shapes.size(); ++i)
      xs.push_back(g.add_input(x_shapes[i], DType::float32, "x" + std::to_string(i)));
    CallContext ctx{g, true};
    Value y = layer.call(xs, ctx).at(0);
    const Shape y_shape = y.shape();  // a copy: adding a value may move the graph's value table
    Value dy = g.add_input(y_shape, DType::float32, "dy");
    std::vector<Value> wrt = xs;
    for (Variable* v : layer.trainable_weights()) wrt.push_back(ctx.variable(*v));
    std::vector<Value> grads = gradients(y, dy, wrt);
    std::vector<ValueId> ins, outs{y.id()};
    for (auto& x : xs) ins.push_back(x.id());
    ins.push_back(dy.id());
    for (auto& d : grads) outs.push_back(d.id());
    program = std::make_unique<Program>(std::move(g), ins, outs, backend());
    exec = program->make_execution();
    for (std::size_t i = 0; i < x_shapes.size(); ++i) fill(exec->input(i), num_elements(x_shapes[i]), 0.5f);
    fill(exec->input(x_shapes.size()), num_elements(y_shape), 1.0f);
  }
  static void fill(void* p, std::int64_t n, float v) { std::fill_n(static_cast<float*>(p), n, v); }
  void run() { exec->run(); }

  /// Per-kernel time of one step, by op kind and implementation (STRATA_BENCH_PROFILE=1): where a ratio comes from.
  void print_profile(const char* layer, int steps) {
    std::vector<double> seconds(exec->launch_count(), 0.0);
    for (int s = 0; s < steps; ++s) exec->run_profiled(seconds);
    const auto& schedule = program->schedule();
    for (std::size_t k = 0; k < seconds.size(); ++k) {
      const int op = exec->op_of_launch(k);
      std::string impl = "?";
      for (std::size_t s = 0; s < schedule.size(); ++s)
        if (schedule[s] == op && program->kernel(s)) impl = program->kernel(s)->implementation();
      std::printf("{\"bench\":\"layer_profile\",\"layer\":\"%s\",\"launch\":%zu,\"op\":\"%s\",\"impl\":\"%s\","
                  "\"ms\":%.4f}\n",
                  layer, k, std::string(op_kind_name(program->graph().ops()[op].kind)).c_str(), impl.c_str(),
                  1e3 * seconds[k] / steps);
    }
  }
};

/// A hand-written oneDNN training step: primitives with their memories bound once, executed in order.
struct DirectLaunches {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{eng};
  std::vector<std::pair<dnnl::primitive, std::unordered_map<int, memory>>> launches;
  std::vector<memory> owned;  // buffers that only views in `launches` refer to (e.g. dy behind its windows)

  void add(dnnl::primitive p, std::unordered_map<int, memory> args) { launches.push_back({std::move(p), std::move(args)}); }
  /// A memory of `md` filled with v.
  memory make(const memory::desc& md, float v = 0.0f) {
    memory m(md, eng);
    fill(m, v);
    return m;
  }
  static void fill(memory& m, float v) {
    auto* p = static_cast<float*>(m.get_data_handle());
    std::fill(p, p + m.get_desc().get_size() / sizeof(float), v);
  }
  void run() {
    for (auto& [prim, args] : launches) prim.execute(stream, args);
    stream.wait();
  }
  /// Per-primitive time of one step with oneDNN's implementation name (STRATA_BENCH_PROFILE=1).
  void print_profile(const char* layer, int steps) {
    std::vector<double> seconds(launches.size(), 0.0);
    for (int s = 0; s < steps; ++s)
      for (std::size_t k = 0; k < launches.size(); ++k) {
        const auto t = Clock::now();
        launches[k].first.execute(stream, launches[k].second);
        stream.wait();
        seconds[k] += seconds_since(t);
      }
    for (std::size_t k = 0; k < launches.size(); ++k) {
      const char* impl = "?";
      dnnl_primitive_desc_query(launches[k].first.get_primitive_desc(), dnnl_query_impl_info_str, 0, &impl);
      std::printf("{\"bench\":\"direct_profile\",\"layer\":\"%s\",\"launch\":%zu,\"impl\":\"%s\",\"ms\":%.4f}\n",
                  layer, k, impl, 1e3 * seconds[k] / steps);
    }
  }
};

/// Times `layer` on inputs of `x_shapes` against `direct` (anything with run()); prints one JSON row.
template <class Direct>
void compare(const char* name, const char* shape, Layer& layer, const std::vector<Shape>& x_shapes, Direct& direct,
             int iterations, int rounds = 21) {
  StrataStep strata_step(layer, x_shapes);
  for (int i = 0; i < 3; ++i) {
    strata_step.run();
    direct.run();
  }
  // rounds of at least ~50 ms, so that one preemption on a loaded machine cannot decide a small layer's round
  const auto t0 = Clock::now();
  strata_step.run();
  iterations = std::max(iterations, static_cast<int>(0.05 / std::max(seconds_since(t0), 1e-6)));
  // short interleaved rounds, so both sides see the same machine load; the median round of each is reported
  std::vector<double> strata_s, direct_s;
  for (int round = 0; round < rounds; ++round) {
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
  std::printf("{\"bench\":\"layer_fwd_bwd\",\"layer\":\"%s\",\"shape\":\"%s\",\"threads\":%d,\"strata_ms\":%.3f,"
              "\"onednn_direct_ms\":%.3f,\"ratio\":%.3f,\"strata_best_ms\":%.3f,\"onednn_direct_best_ms\":%.3f,"
              "\"best_ratio\":%.3f,\"iterations\":%d}\n",
              name, shape, omp_get_max_threads(), strata_ms, direct_ms, strata_ms / direct_ms, strata_best,
              direct_best, strata_best / direct_best, iterations);
  std::fflush(stdout);
  if (const char* p = std::getenv("STRATA_BENCH_PROFILE"); p && *p && *p != '0') {
    strata_step.print_profile(name, iterations);
    if constexpr (requires { direct.print_profile(name, iterations); }) direct.print_profile(name, iterations);
    std::fflush(stdout);
  }
}

/// True when `name` should run: no filter, or the filter is a substring of it (bench_x [iterations] [filter]).
inline bool selected(const char* name, int argc, char** argv) {
  return argc < 3 || std::string(name).find(argv[2]) != std::string::npos;
}

}  // namespace layer_bench
