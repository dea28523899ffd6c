#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_state(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  auto is_gate = [&](ValueId v) { return g.value(v).shape.empty() && g.value(v).dtype == DType::float32; };
  if (kind == OpKind::step_condition) {
    const auto& a = std::get<StepConditionAttrs>(attrs);
    if (a.kind == StepConditionKind::all_finite) {
      expect_inputs(g, kind, in, 1, 1 << 20);
    } else {
      expect_inputs(g, kind, in, 1, 1);
      if (!g.value(in[0]).shape.empty() || g.value(in[0]).dtype != DType::int64)
        shape_error(g, kind, "the iteration count must be an int64 scalar");
      if (a.divisor < 1 || (a.kind == StepConditionKind::multiple && a.modulus < 1))
        shape_error(g, kind, "divisor and modulus must be >= 1");
    }
    return {{Shape{}, DType::float32}};
  }
  if (in.empty() || g.value(in[0]).kind != ValueKind::variable)
    shape_error(g, kind, "first input must be a variable");
  const ValueInfo& var = g.value(in[0]);
  if (kind == OpKind::assign) {
    // (variable, value [, gate])
    expect_inputs(g, kind, in, 2, 3);
    if (g.value(in[1]).shape != var.shape || g.value(in[1]).dtype != var.dtype)
      shape_error(g, kind, "value " + shape_str(g.value(in[1]).shape) + " does not match variable '" + var.name +
                               "' " + shape_str(var.shape));
    if (in.size() == 3 && !is_gate(in[2])) shape_error(g, kind, "the gate must be a float32 scalar");
  } else if (kind == OpKind::assign_add) {
    // (variable [, gate])
    expect_inputs(g, kind, in, 1, 2);
    if (in.size() == 2 && !is_gate(in[1])) shape_error(g, kind, "the gate must be a float32 scalar");
  } else {
    const auto& a = std::get<OptimizerUpdateAttrs>(attrs);
    const std::size_t slots = optimizer_slot_count(a), extra = optimizer_extra_inputs(a) + (a.gated ? 1 : 0);
    expect_inputs(g, kind, in, 4 + slots + extra, 4 + slots + extra);
    if (g.value(in[1]).shape != var.shape)
      shape_error(g, kind, "gradient " + shape_str(g.value(in[1]).shape) + " does not match variable '" + var.name +
                               "' " + shape_str(var.shape));
    if (a.kind == OptimizerKind::adafactor) {
      // r: shape[:-1], c: shape[:-2] + shape[-1:] when factored; scalar stand-ins otherwise
      Shape r_shape, c_shape;
      if (a.factored) {
        if (var.shape.size() < 2) shape_error(g, kind, "a factored Adafactor update needs a variable of rank >= 2");
        r_shape.assign(var.shape.begin(), var.shape.end() - 1);
        c_shape.assign(var.shape.begin(), var.shape.end() - 2);
        c_shape.push_back(var.shape.back());
        if (g.value(in[2]).shape != r_shape || g.value(in[3]).shape != c_shape)
          shape_error(g, kind, "Adafactor's factored moments " + shape_str(g.value(in[2]).shape) + ", " +
                                   shape_str(g.value(in[3]).shape) + " do not match variable '" + var.name + "' " +
                                   shape_str(var.shape));
      }
      if (g.value(in[4]).shape != var.shape)
        shape_error(g, kind, "slot " + shape_str(g.value(in[4]).shape) + " does not match variable '" + var.name +
                                 "' " + shape_str(var.shape));
    } else {
      for (std::size_t i = 2; i < 2 + slots; ++i)
        if (g.value(in[i]).shape != var.shape)
          shape_error(g, kind, "gradient or slot " + shape_str(g.value(in[i]).shape) + " does not match variable '" +
                                   var.name + "' " + shape_str(var.shape));
    }
    for (std::size_t i = 4 + slots; i < in.size(); ++i)
      if (!is_gate(in[i]))
        shape_error(g, kind, "optimizer state input " + std::to_string(i) + " must be a float32 scalar");
  }
  return {};
}

Grads grad_state(Graph& g, const Op& op, const Grads& dy) { return Grads(op.inputs.size()); }

}  // namespace rules

void ops::assign(Value variable, Value value, Value gate) {
  std::vector<ValueId> in{variable.id(), value.id()};
  if (gate.valid()) in.push_back(gate.id());
  variable.graph().add_op(OpKind::assign, std::monostate{}, std::move(in));
}
void ops::assign_add(Value variable, double delta, Value gate) {
  std::vector<ValueId> in{variable.id()};
  if (gate.valid()) in.push_back(gate.id());
  variable.graph().add_op(OpKind::assign_add, AssignAddAttrs{delta}, std::move(in));
}
Value ops::step_condition(const StepConditionAttrs& attrs, const std::vector<Value>& inputs) {
  std::vector<ValueId> in;
  for (const auto& v : inputs) in.push_back(v.id());
  return inputs.at(0).graph().add_op(OpKind::step_condition, attrs, std::move(in))[0];
}
void ops::optimizer_update(const OptimizerUpdateAttrs& attrs, Value variable, Value gradient,
                           const std::vector<Value>& slots, Value learning_rate, Value iterations,
                           const std::vector<Value>& extra, Value gate) {
  std::vector<ValueId> in{variable.id(), gradient.id()};
  for (const auto& s : slots) in.push_back(s.id());
  in.push_back(learning_rate.id());
  in.push_back(iterations.id());
  for (const auto& e : extra) in.push_back(e.id());
  OptimizerUpdateAttrs a = attrs;
  a.gated = gate.valid();
  if (a.gated) in.push_back(gate.id());
  variable.graph().add_op(OpKind::optimizer_update, a, std::move(in));
}

}  // namespace strata
