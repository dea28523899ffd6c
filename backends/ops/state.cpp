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
    std::size_t slots = 0;
    if (a.kind == OptimizerKind::sgd) slots = a.momentum > 0 ? 1 : 0;
    if (a.kind == OptimizerKind::adam) slots = a.amsgrad ? 3 : 2;
    if (a.kind == OptimizerKind::rmsprop) slots = 1 + (a.momentum > 0) + (a.centered ? 1 : 0);
    expect_inputs(g, kind, in, 4 + slots, 4 + slots);
    for (std::size_t i = 1; i < 2 + slots; ++i)
      if (g.value(in[i]).shape != var.shape)
        shape_error(g, kind, "gradient or slot " + shape_str(g.value(in[i]).shape) + " does not match variable '" +
                                 var.name + "' " + shape_str(var.shape));
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
                           const std::vector<Value>& slots, Value learning_rate, Value iterations) {
  std::vector<ValueId> in{variable.id(), gradient.id()};
  for (const auto& s : slots) in.push_back(s.id());
  in.push_back(learning_rate.id());
  in.push_back(iterations.id());
  variable.graph().add_op(OpKind::optimizer_update, attrs, std::move(in));
}

}  // namespace strata
