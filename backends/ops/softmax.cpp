#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_softmax(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  auto& a = std::get<SoftmaxAttrs>(attrs);
  expect_inputs(g, kind, in, kind == OpKind::softmax ? 1 : 2, kind == OpKind::softmax ? 1 : 2);
  expect_float(g, kind, in[0], "input");
  const Shape& x = g.value(in[0]).shape;
  if (x.empty()) shape_error(g, kind, "input must have rank >= 1");
  a.axis = normalize_axis(g, kind, a.axis, static_cast<int>(x.size()));
  if (kind == OpKind::softmax_backward && g.value(in[1]).shape != x)
    shape_error(g, kind, "dy and y shapes differ");
  return {{x, DType::float32}};
}

Grads grad_softmax(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::softmax) throw UnsupportedError("softmax_backward has no gradient (second order)");
  if (!dy[0].valid()) return {Value{}};
  return {g.add_op(OpKind::softmax_backward, op.attrs, {dy[0].id(), op.outputs[0]})[0]};
}

}  // namespace rules

Value ops::softmax(Value x, int axis) {
  return x.graph().add_op(OpKind::softmax, SoftmaxAttrs{axis, false}, {x.id()})[0];
}
Value ops::log_softmax(Value x, int axis) {
  return x.graph().add_op(OpKind::softmax, SoftmaxAttrs{axis, true}, {x.id()})[0];
}

}  // namespace strata
