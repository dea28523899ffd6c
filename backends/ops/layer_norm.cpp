#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_layer_norm(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, kind == OpKind::layer_norm ? 3 : 5, kind == OpKind::layer_norm ? 3 : 5);
  for (auto id : in) expect_float(g, kind, id, "operand");
  const Shape& x = g.value(in[0]).shape;
  if (x.size() < 2) shape_error(g, kind, "input " + shape_str(x) + " must have rank >= 2");
  const Shape c{x.back()};
  const Shape stats(x.begin(), x.end() - 1);
  const Shape& gamma = g.value(in[kind == OpKind::layer_norm ? 1 : 2]).shape;
  if (gamma != c) shape_error(g, kind, "gamma " + shape_str(gamma) + " must be " + shape_str(c));
  if (kind == OpKind::layer_norm) {
    if (g.value(in[2]).shape != c)
      shape_error(g, kind, "beta " + shape_str(g.value(in[2]).shape) + " must be " + shape_str(c));
    return {{x, DType::float32}, {stats, DType::float32}, {stats, DType::float32}};
  }
  if (g.value(in[1]).shape != x) shape_error(g, kind, "dy must have the input's shape " + shape_str(x));
  for (int i : {3, 4})
    if (g.value(in[i]).shape != stats)
      shape_error(g, kind, "statistics " + shape_str(g.value(in[i]).shape) + " must be " + shape_str(stats));
  return {{x, DType::float32}, {c, DType::float32}, {c, DType::float32}};
}

Grads grad_layer_norm(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::layer_norm) throw UnsupportedError("layer_norm_backward has no gradient (second order)");
  if (!dy[0].valid()) return Grads(op.inputs.size());
  auto r = g.add_op(OpKind::layer_norm_backward, op.attrs,
                    {op.inputs[0], dy[0].id(), op.inputs[1], op.outputs[1], op.outputs[2]});
  return {r[0], r[1], r[2]};
}

}  // namespace rules

Value ops::layer_norm(Value x, Value gamma, Value beta, float epsilon) {
  return x.graph().add_op(OpKind::layer_norm, LayerNormAttrs{epsilon}, {x.id(), gamma.id(), beta.id()})[0];
}

}  // namespace strata
