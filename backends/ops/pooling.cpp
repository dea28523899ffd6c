#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {
Shape pool_output(const Graph& g, OpKind kind, const PoolingAttrs& a, const Shape& x) {
  if (x.size() < 3 || x.size() > 5)
    shape_error(g, kind, "input " + shape_str(x) + " must have rank 3..5 (batch, spatial..., channels)");
  const std::size_t first = a.channels_first ? 2 : 1;  // first spatial axis
  std::size_t spatial = x.size() - 2;
  if (a.window.size() != spatial || a.strides.size() != spatial || a.pad_begin.size() != spatial ||
      a.pad_end.size() != spatial)
    shape_error(g, kind, "window, strides and paddings need " + std::to_string(spatial) + " entries each");
  Shape out{x[0]};
  if (a.channels_first) out.push_back(x[1]);
  for (std::size_t i = 0; i < spatial; ++i) {
    if (a.window[i] < 1 || a.strides[i] < 1) shape_error(g, kind, "pool size and strides must be >= 1");
    // oneDNN needs every window to touch real input: padding smaller than the window
    if (a.pad_begin[i] >= a.window[i] || a.pad_end[i] >= a.window[i])
      shape_error(g, kind, "padding must be smaller than the pool window");
    std::int64_t padded = x[i + first] + a.pad_begin[i] + a.pad_end[i];
    if (padded < a.window[i])
      shape_error(g, kind, "pool window " + std::to_string(a.window[i]) + " is larger than the input " +
                               shape_str(x) + " in spatial dim " + std::to_string(i));
    out.push_back((padded - a.window[i]) / a.strides[i] + 1);
  }
  if (!a.channels_first) out.push_back(x.back());
  return out;
}
}  // namespace

std::vector<OutputSpec> infer_pooling(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  const auto& a = std::get<PoolingAttrs>(attrs);
  if (kind == OpKind::pooling) {
    expect_inputs(g, kind, in, 1, 1);
    expect_float(g, kind, in[0], "input");
    Shape out = pool_output(g, kind, a, g.value(in[0]).shape);
    if (a.kind == PoolingKind::max) return {{out, DType::float32}, {out, DType::int32}};
    return {{out, DType::float32}};
  }
  expect_inputs(g, kind, in, a.kind == PoolingKind::max ? 3 : 2, a.kind == PoolingKind::max ? 3 : 2);
  return {{g.value(in[1]).shape, DType::float32}};
}

Grads grad_pooling(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::pooling) throw UnsupportedError("pooling_backward has no gradient (second order)");
  const auto& a = std::get<PoolingAttrs>(op.attrs);
  if (!dy[0].valid()) return {Value{}};
  std::vector<ValueId> in{dy[0].id(), op.inputs[0]};
  if (a.kind == PoolingKind::max) in.push_back(op.outputs[1]);
  return {g.add_op(OpKind::pooling_backward, a, in)[0]};
}

}  // namespace rules

Value ops::pooling(Value x, const PoolingAttrs& attrs) {
  return x.graph().add_op(OpKind::pooling, attrs, {x.id()})[0];
}

}  // namespace strata
