// Program: fusion keeps results identical, the memory plan reuses buffers, executions are independent.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <thread>

#include <strata/api/graph/program.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/ops.hpp>

using namespace strata;

namespace {

Tensor ramp(const Shape& s, float scale, float shift) {
  Tensor t(s);
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * static_cast<float>((i * 37) % 23) + shift;
  return t;
}

Tensor run(Program& p, const std::vector<Tensor>& in, std::size_t out = 0) {
  auto e = p.make_execution();
  for (std::size_t i = 0; i < in.size(); ++i) std::memcpy(e->input(i), in[i].raw(), in[i].nbytes());
  e->run();
  return Tensor::from_data(p.output_info(out).shape, DType::float32, e->output(out));
}

int count_kind(const Program& p, OpKind kind) {
  int n = 0;
  for (int idx : p.schedule()) n += p.graph().ops()[idx].kind == kind;
  return n;
}

}  // namespace

TEST_CASE("fusion folds bias and activation into matmul and convolution without changing results") {
  Tensor x = ramp({4, 6}, 0.1f, -1.0f), w = ramp({6, 5}, 0.05f, -0.5f), b = ramp({5}, 0.2f, -0.4f);
  auto build = [&](bool expose_intermediate) {
    Graph g;
    Value vx = g.add_input({4, 6}, DType::float32, "x");
    Value vw = g.add_constant(w), vb = g.add_constant(b);
    Value pre = ops::matmul(vx, vw) + vb;
    Value y = ops::eltwise(pre, EltwiseKind::elu, 1.0f);
    std::vector<ValueId> outs{y.id()};
    if (expose_intermediate) outs.push_back(pre.id());  // an exposed intermediate blocks fusion
    return std::make_unique<Program>(std::move(g), std::vector<ValueId>{vx.id()}, outs, backend());
  };
  auto fused = build(false), plain = build(true);
  CHECK(count_kind(*fused, OpKind::binary) == 0);
  CHECK(count_kind(*fused, OpKind::eltwise) == 0);
  CHECK(count_kind(*plain, OpKind::eltwise) == 1);
  Tensor a = run(*fused, {x}), c = run(*plain, {x});
  for (std::int64_t i = 0; i < a.size(); ++i) CHECK(a.values()[i] == doctest::Approx(c.values()[i]).epsilon(1e-5));
  // and the reference by hand for one element: elu(sum_k x[0,k] w[k,0] + b[0])
  double s = b.values()[0];
  for (int k = 0; k < 6; ++k) s += x.at({0, k}) * w.at({k, 0});
  double expect = s > 0 ? s : std::exp(s) - 1;
  CHECK(a.at({0, 0}) == doctest::Approx(expect).epsilon(1e-5));

  Graph g;
  Value vx = g.add_input({2, 5, 5, 3}, DType::float32, "x");
  ConvolutionAttrs attrs{{1, 1}, {1, 1}, {1, 1}, {1, 1}, 1, {}, {}, {}};
  Value y = ops::relu(ops::convolution(vx, g.add_constant(ramp({3, 3, 3, 4}, 0.01f, -0.1f)), attrs) +
                      g.add_constant(ramp({4}, 0.1f, -0.2f)));
  Program conv(std::move(g), {vx.id()}, {y.id()}, backend());
  CHECK(count_kind(conv, OpKind::binary) == 0);
  CHECK(count_kind(conv, OpKind::eltwise) == 0);
  Tensor out = run(conv, {ramp({2, 5, 5, 3}, 0.1f, -1.0f)});
  for (float v : out.values()) CHECK(v >= 0.0f);
}

TEST_CASE("memory plan reuses buffers whose lifetimes do not overlap") {
  Graph g;
  Value x = g.add_input({64, 256}, DType::float32, "x");
  Value h = x;
  for (int i = 0; i < 8; ++i) h = ops::tanh(h);  // a chain: each value dies when the next is made
  Program p(std::move(g), {x.id()}, {h.id()}, backend());
  const MemoryPlan& plan = p.memory_plan();
  std::size_t one = 64 * 256 * 4;
  CHECK(plan.sum_of_buffers >= 9 * one);
  CHECK(plan.scratch_offset <= 3 * one);  // input + output live throughout, intermediates alternate
  Tensor in = ramp({64, 256}, 0.01f, -0.1f);
  Tensor out = run(p, {in});
  double v = in.values()[5];
  for (int i = 0; i < 8; ++i) v = std::tanh(v);
  CHECK(out.values()[5] == doctest::Approx(v).epsilon(1e-5));
}

TEST_CASE("several executions of one program run concurrently and independently") {
  Graph g;
  Value x = g.add_input({8, 16}, DType::float32, "x");
  Value y = ops::softmax(ops::matmul(x, g.add_constant(ramp({16, 16}, 0.02f, -0.2f))));
  Program p(std::move(g), {x.id()}, {y.id()}, backend());
  std::vector<Tensor> inputs, expected, got(4);
  for (int t = 0; t < 4; ++t) {
    inputs.push_back(ramp({8, 16}, 0.01f * (t + 1), -0.3f));
    expected.push_back(run(p, {inputs.back()}));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto e = p.make_execution();
      for (int rep = 0; rep < 50; ++rep) {
        std::memcpy(e->input(0), inputs[t].raw(), inputs[t].nbytes());
        e->run();
      }
      got[t] = Tensor::from_data({8, 16}, DType::float32, e->output(0));
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t)
    for (std::int64_t i = 0; i < got[t].size(); ++i) CHECK(got[t].values()[i] == expected[t].values()[i]);
}
