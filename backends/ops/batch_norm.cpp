#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_batch_norm(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  auto& a = std::get<BatchNormAttrs>(attrs);
  for (auto id : in) expect_float(g, kind, id, "operand");
  if (kind == OpKind::batch_norm) {
    expect_inputs(g, kind, in, a.training ? 3 : 5, a.training ? 3 : 5);
  } else {
    expect_inputs(g, kind, in, 5, 5);
  }
  const Shape& x = g.value(in[0]).shape;
  if (x.size() < 2 || x.size() > 5) shape_error(g, kind, "input " + shape_str(x) + " must have rank 2..5");
  a.axis = normalize_axis(g, kind, a.axis, static_cast<int>(x.size()));
  Shape c{x[a.axis]};
  std::size_t first_param = kind == OpKind::batch_norm ? 1 : 2;
  for (std::size_t i = first_param; i < in.size(); ++i)
    if (g.value(in[i]).shape != c)
      shape_error(g, kind, "parameter shape " + shape_str(g.value(in[i]).shape) + " must be " + shape_str(c) +
                               " for input " + shape_str(x));
  if (kind == OpKind::batch_norm_backward) {
    if (g.value(in[1]).shape != x) shape_error(g, kind, "dy must have the input's shape " + shape_str(x));
    return {{x, DType::float32}, {c, DType::float32}, {c, DType::float32}};
  }
  if (a.training) return {{x, DType::float32}, {c, DType::float32}, {c, DType::float32}};
  return {{x, DType::float32}};
}

Grads grad_batch_norm(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::batch_norm) throw UnsupportedError("batch_norm_backward has no gradient (second order)");
  const auto& a = std::get<BatchNormAttrs>(op.attrs);
  if (!dy[0].valid()) return Grads(op.inputs.size());
  Value x(&g, op.inputs[0]), gamma(&g, op.inputs[1]);
  if (a.training) {
    auto r = g.add_op(OpKind::batch_norm_backward, a,
                      {x.id(), dy[0].id(), gamma.id(), op.outputs[1], op.outputs[2]});
    return {r[0], r[1], r[2]};
  }
  // Inference form, y = gamma * (x - mean) * rsqrt(var + eps) + beta, differentiated elementwise.
  Value mean(&g, op.inputs[3]), var(&g, op.inputs[4]);
  std::vector<int> axes;
  Shape channel_shape(x.ndim(), 1);  // (1, .., C, .., 1): parameters broadcast along the channel axis
  for (int i = 0; i < x.ndim(); ++i)
    if (i != a.axis) axes.push_back(i);
  channel_shape[a.axis] = x.dim(a.axis);
  auto channel = [&](Value v) { return ops::reshape(v, channel_shape); };
  Value inv_std = 1.0f / ops::sqrt(channel(var) + a.epsilon);
  Value x_hat = (x - channel(mean)) * inv_std;
  Value dx = dy[0] * (channel(gamma) * inv_std);
  Value dgamma = ops::sum(dy[0] * x_hat, axes);
  Value dbeta = ops::sum(dy[0], axes);
  return {dx, dgamma, dbeta, Value{}, Value{}};
}

}  // namespace rules

ops::BatchNormOutputs ops::batch_norm_training(Value x, Value gamma, Value beta, float epsilon, int axis) {
  auto r = x.graph().add_op(OpKind::batch_norm, BatchNormAttrs{epsilon, true, axis}, {x.id(), gamma.id(), beta.id()});
  return {r[0], r[1], r[2]};
}

Value ops::batch_norm_inference(Value x, Value gamma, Value beta, Value mean, Value variance, float epsilon,
                               int axis) {
  return x.graph().add_op(OpKind::batch_norm, BatchNormAttrs{epsilon, false, axis},
                          {x.id(), gamma.id(), beta.id(), mean.id(), variance.id()})[0];
}

}  // namespace strata
