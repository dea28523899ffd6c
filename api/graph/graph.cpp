#include <strata/api/graph/graph.hpp>

#include <strata/api/variable.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

const ValueInfo& Value::info() const { return graph_->value(id_); }

std::int64_t Value::dim(int axis) const {
  int a = axis < 0 ? axis + ndim() : axis;
  if (a < 0 || a >= ndim())
    throw ValueError("axis " + std::to_string(axis) + " is out of range for shape " + shape_str(shape()));
  return shape()[a];
}

Value Graph::add_input(Shape shape, DType dtype, std::string name) {
  values_.push_back({std::move(shape), dtype, ValueKind::input, -1, nullptr, nullptr, std::move(name)});
  return {this, static_cast<ValueId>(values_.size() - 1)};
}

Value Graph::add_variable(Variable& variable) {
  for (auto& [v, id] : variable_ids_)
    if (v == &variable) return {this, id};
  values_.push_back({variable.shape(), variable.dtype(), ValueKind::variable, -1, &variable, nullptr, variable.path()});
  auto id = static_cast<ValueId>(values_.size() - 1);
  variable_ids_.emplace_back(&variable, id);
  return {this, id};
}

Value Graph::add_constant(Tensor value, std::string name) {
  ValueInfo info{value.shape(), value.dtype(), ValueKind::constant, -1, nullptr, nullptr, std::move(name)};
  info.constant = std::make_shared<const Tensor>(std::move(value));
  values_.push_back(std::move(info));
  return {this, static_cast<ValueId>(values_.size() - 1)};
}

std::vector<Value> Graph::add_op(OpKind kind, OpAttrs attrs, std::vector<ValueId> inputs) {
  auto specs = infer_outputs(*this, kind, attrs, inputs);
  Op op{kind, std::move(attrs), std::move(inputs), {}, layer_scope_};
  int index = static_cast<int>(ops_.size());
  std::vector<Value> outs;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    values_.push_back({std::move(specs[i].shape), specs[i].dtype, ValueKind::intermediate, index, nullptr, nullptr,
                       layer_scope_ + "/" + std::string(op_kind_name(kind))});
    auto id = static_cast<ValueId>(values_.size() - 1);
    op.outputs.push_back(id);
    outs.emplace_back(this, id);
  }
  ops_.push_back(std::move(op));
  return outs;
}

bool Graph::has_side_effect(const Op& op) const {
  return op.kind == OpKind::assign || op.kind == OpKind::assign_add || op.kind == OpKind::optimizer_update;
}

}  // namespace strata
