#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_indexing(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  const ValueInfo& x = g.value(in[0]);
  if (kind == OpKind::one_hot) {
    auto depth = std::get<OneHotAttrs>(attrs).depth;
    if (depth < 1) shape_error(g, kind, "depth must be >= 1");
    Shape s = x.shape;
    s.push_back(depth);
    return {{s, DType::float32}};
  }
  if (kind == OpKind::argmax) {
    expect_float(g, kind, in[0], "input");
    auto& axis = std::get<AxisAttrs>(attrs).axis;
    axis = normalize_axis(g, kind, axis, static_cast<int>(x.shape.size()));
    Shape s = x.shape;
    s.erase(s.begin() + axis);
    return {{s, DType::int32}};
  }
  return {{x.shape, std::get<CastAttrs>(attrs).dtype}};
}

Grads grad_indexing(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind == OpKind::cast && dy[0].valid() && g.value(op.inputs[0]).dtype == DType::float32 &&
      g.value(op.outputs[0]).dtype == DType::float32)
    return {dy[0]};
  return {Value{}};
}

}  // namespace rules

Value ops::one_hot(Value labels, std::int64_t depth) {
  return labels.graph().add_op(OpKind::one_hot, OneHotAttrs{depth}, {labels.id()})[0];
}
Value ops::argmax(Value x, int axis) { return x.graph().add_op(OpKind::argmax, AxisAttrs{axis}, {x.id()})[0]; }
Value ops::cast(Value x, DType dtype) {
  if (x.dtype() == dtype) return x;
  return x.graph().add_op(OpKind::cast, CastAttrs{dtype}, {x.id()})[0];
}

}  // namespace strata
