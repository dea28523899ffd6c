#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_dropout(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 2, 2);
  expect_float(g, kind, in[0], "input");
  const auto& a = std::get<DropoutAttrs>(attrs);
  if (!(a.rate >= 0.0f && a.rate < 1.0f)) shape_error(g, kind, "rate must be in [0, 1), got " + std::to_string(a.rate));
  if (g.value(in[1]).dtype != DType::int64 || num_elements(g.value(in[1]).shape) != 1)
    shape_error(g, kind, "seed state must be an int64 scalar");
  const Shape& x = g.value(in[0]).shape;
  if (!a.noise_broadcast.empty() && a.noise_broadcast.size() != x.size())
    shape_error(g, kind, "noise_shape rank differs from input " + shape_str(x));
  return {{x, DType::float32}, {x, DType::float32}};
}

Grads grad_dropout(Graph& g, const Op& op, const Grads& dy) {
  if (!dy[0].valid()) return {Value{}, Value{}};
  return {dy[0] * Value(&g, op.outputs[1]), Value{}};
}

}  // namespace rules

Value ops::dropout(Value x, float rate, Value seed_state, std::uint64_t salt, std::vector<bool> noise_broadcast) {
  return x.graph().add_op(OpKind::dropout, DropoutAttrs{rate, salt, std::move(noise_broadcast)},
                          {x.id(), seed_state.id()})[0];
}

}  // namespace strata
