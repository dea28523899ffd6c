#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_state(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  if (in.empty() || g.value(in[0]).kind != ValueKind::variable)
    shape_error(g, kind, "first input must be a variable");
  const ValueInfo& var = g.value(in[0]);
  if (kind == OpKind::assign) {
    expect_inputs(g, kind, in, 2, 2);
    if (g.value(in[1]).shape != var.shape || g.value(in[1]).dtype != var.dtype)
      shape_error(g, kind, "value " + shape_str(g.value(in[1]).shape) + " does not match variable '" + var.name +
                               "' " + shape_str(var.shape));
  } else if (kind == OpKind::assign_add) {
    expect_inputs(g, kind, in, 1, 1);
  } else {
    const auto& a = std::get<OptimizerUpdateAttrs>(attrs);
    const std::size_t slots = optimizer_slot_count(a), extra = optimizer_extra_inputs(a);
    expect_inputs(g, kind, in, 4 + slots + extra, 4 + slots + extra);
    for (std::size_t i = 1; i < 2 + slots; ++i)
      if (g.value(in[i]).shape != var.shape)
        shape_error(g, kind, "gradient or slot " + shape_str(g.value(in[i]).shape) + " does not match variable '" +
                                 var.name + "' " + shape_str(var.shape));
    for (std::size_t i = 4 + slots; i < in.size(); ++i)
      if (!g.value(in[i]).shape.empty() || g.value(in[i]).dtype != DType::float32)
        shape_error(g, kind, "optimizer state input " + std::to_string(i) + " must be a float32 scalar");
  }
  return {};
}

Grads grad_state(Graph& g, const Op& op, const Grads& dy) { return Grads(op.inputs.size()); }

}  // namespace rules

void ops::assign(Value variable, Value value) {
  variable.graph().add_op(OpKind::assign, std::monostate{}, {variable.id(), value.id()});
}
void ops::assign_add(Value variable, double delta) {
  variable.graph().add_op(OpKind::assign_add, AssignAddAttrs{delta}, {variable.id()});
}
void ops::optimizer_update(const OptimizerUpdateAttrs& attrs, Value variable, Value gradient,
                           const std::vector<Value>& slots, Value learning_rate, Value iterations,
                           const std::vector<Value>& extra) {
  std::vector<ValueId> in{variable.id(), gradient.id()};
  for (const auto& s : slots) in.push_back(s.id());
  in.push_back(learning_rate.id());
  in.push_back(iterations.id());
  for (const auto& e : extra) in.push_back(e.id());
  variable.graph().add_op(OpKind::optimizer_update, attrs, std::move(in));
}

}  // namespace strata
