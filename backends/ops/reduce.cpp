#include <strata/backends/ops/op_rules.hpp>

#include <algorithm>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_reduce(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  expect_float(g, kind, in[0], "input");
  auto& a = std::get<ReduceAttrs>(attrs);
  const Shape& x = g.value(in[0]).shape;
  int r = static_cast<int>(x.size());
  if (a.axes.empty())
    for (int i = 0; i < r; ++i) a.axes.push_back(i);
  for (auto& ax : a.axes) ax = normalize_axis(g, kind, ax, r);
  std::sort(a.axes.begin(), a.axes.end());
  a.axes.erase(std::unique(a.axes.begin(), a.axes.end()), a.axes.end());
  Shape out;
  for (int i = 0; i < r; ++i) {
    bool reduced = std::binary_search(a.axes.begin(), a.axes.end(), i);
    if (!reduced) out.push_back(x[i]);
    else if (a.keepdims) out.push_back(1);
  }
  return {{out, DType::float32}};
}

Grads grad_reduce(Graph& g, const Op& op, const Grads& dy) {
  if (!dy[0].valid()) return {Value{}};
  const auto& a = std::get<ReduceAttrs>(op.attrs);
  Value x(&g, op.inputs[0]);
  Shape kept = x.shape();
  std::int64_t count = 1;
  for (int ax : a.axes) {
    count *= kept[ax];
    kept[ax] = 1;
  }
  Value d = ops::reshape(dy[0], kept);
  switch (a.kind) {
    case ReduceKind::sum: return {ops::broadcast_to(d, x.shape())};
    case ReduceKind::mean: return {ops::broadcast_to(d * (1.0f / static_cast<float>(count)), x.shape())};
    case ReduceKind::max:
    case ReduceKind::min: {
      // the gradient is shared equally between tied extrema
      Value y = ops::reshape(Value(&g, op.outputs[0]), kept);
      Value mask = ops::equal(x, y);
      Value ties = ops::sum(mask, a.axes, true);
      return {mask * (d / ties)};
    }
  }
  return {Value{}};
}

}  // namespace rules

Value ops::reduce(Value x, ReduceKind kind, std::vector<int> axes, bool keepdims) {
  return x.graph().add_op(OpKind::reduce, ReduceAttrs{kind, std::move(axes), keepdims}, {x.id()})[0];
}
Value ops::sum(Value x, std::vector<int> axes, bool keepdims) { return reduce(x, ReduceKind::sum, axes, keepdims); }
Value ops::mean(Value x, std::vector<int> axes, bool keepdims) { return reduce(x, ReduceKind::mean, axes, keepdims); }
Value ops::max(Value x, std::vector<int> axes, bool keepdims) { return reduce(x, ReduceKind::max, axes, keepdims); }

}  // namespace strata
