#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_eltwise(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  if (kind == OpKind::eltwise) {
    expect_inputs(g, kind, in, 1, 1);
    expect_float(g, kind, in[0], "input");
    return {{g.value(in[0]).shape, DType::float32}};
  }
  expect_inputs(g, kind, in, 2, 2);
  if (g.value(in[0]).shape != g.value(in[1]).shape)
    shape_error(g, kind, "dy " + shape_str(g.value(in[0]).shape) + " and input " + shape_str(g.value(in[1]).shape) +
                             " differ");
  return {{g.value(in[0]).shape, DType::float32}};
}

Grads grad_eltwise(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::eltwise) throw UnsupportedError("eltwise_backward has no gradient (second order)");
  if (!dy[0].valid()) return {Value{}};
  auto a = std::get<EltwiseAttrs>(op.attrs);
  a.use_dst = false;
  return {g.add_op(OpKind::eltwise_backward, a, {dy[0].id(), op.inputs[0]})[0]};
}

}  // namespace rules

Value ops::eltwise(Value x, EltwiseKind kind, float alpha, float beta) {
  return x.graph().add_op(OpKind::eltwise, EltwiseAttrs{kind, alpha, beta, false}, {x.id()})[0];
}
Value ops::relu(Value x) { return eltwise(x, EltwiseKind::relu); }
Value ops::sigmoid(Value x) { return eltwise(x, EltwiseKind::sigmoid); }
Value ops::tanh(Value x) { return eltwise(x, EltwiseKind::tanh); }
Value ops::exp(Value x) { return eltwise(x, EltwiseKind::exp); }
Value ops::log(Value x) { return eltwise(x, EltwiseKind::log); }
Value ops::sqrt(Value x) { return eltwise(x, EltwiseKind::sqrt); }
Value ops::square(Value x) { return eltwise(x, EltwiseKind::square); }
Value ops::abs(Value x) { return eltwise(x, EltwiseKind::abs); }
Value ops::clip(Value x, float lo, float hi) { return eltwise(x, EltwiseKind::clip, lo, hi); }

Value operator-(Value a) { return ops::eltwise(a, EltwiseKind::linear, -1.0f, 0.0f); }
Value operator+(Value a, float b) { return ops::eltwise(a, EltwiseKind::linear, 1.0f, b); }
Value operator-(Value a, float b) { return ops::eltwise(a, EltwiseKind::linear, 1.0f, -b); }
Value operator*(Value a, float b) { return ops::eltwise(a, EltwiseKind::linear, b, 0.0f); }
Value operator*(float a, Value b) { return ops::eltwise(b, EltwiseKind::linear, a, 0.0f); }
Value operator-(float a, Value b) { return ops::eltwise(b, EltwiseKind::linear, -1.0f, a); }
Value operator/(Value a, float b) { return ops::eltwise(a, EltwiseKind::linear, 1.0f / b, 0.0f); }
Value operator/(float a, Value b) { return ops::eltwise(b, EltwiseKind::pow, a, -1.0f); }

}  // namespace strata
