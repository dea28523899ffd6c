#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_shape_ops(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  const ValueInfo& x = g.value(in[0]);
  if (kind == OpKind::reshape) {
    Shape s = std::get<ShapeAttrs>(attrs).shape;
    std::int64_t known = 1;
    int unknown = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == -1 && unknown < 0) unknown = static_cast<int>(i);
      else if (s[i] < 0) shape_error(g, kind, "target shape " + shape_str(s) + " has more than one -1 or a negative size");
      else known *= s[i];
    }
    std::int64_t total = num_elements(x.shape);
    if (unknown >= 0 && known > 0 && total % known == 0) s[unknown] = total / known;
    if (num_elements(s) != total || (unknown >= 0 && s[unknown] < 0))
      shape_error(g, kind, "cannot reshape " + shape_str(x.shape) + " (" + std::to_string(total) + " elements) into " +
                               shape_str(std::get<ShapeAttrs>(attrs).shape));
    std::get<ShapeAttrs>(attrs).shape = s;
    return {{s, x.dtype}};
  }
  if (kind == OpKind::broadcast_to) {
    const Shape& s = std::get<ShapeAttrs>(attrs).shape;
    if (s.size() < x.shape.size()) shape_error(g, kind, "cannot broadcast " + shape_str(x.shape) + " to " + shape_str(s));
    std::size_t lead = s.size() - x.shape.size();
    for (std::size_t i = 0; i < x.shape.size(); ++i)
      if (x.shape[i] != 1 && x.shape[i] != s[i + lead])
        shape_error(g, kind, "cannot broadcast " + shape_str(x.shape) + " to " + shape_str(s));
    return {{s, x.dtype}};
  }
  auto& perm = std::get<TransposeAttrs>(attrs).perm;
  if (perm.size() != x.shape.size()) shape_error(g, kind, "permutation rank differs from input " + shape_str(x.shape));
  std::vector<bool> seen(perm.size());
  Shape out;
  for (int p : perm) {
    if (p < 0 || p >= static_cast<int>(perm.size()) || seen[p]) shape_error(g, kind, "invalid permutation");
    seen[p] = true;
    out.push_back(x.shape[p]);
  }
  return {{out, x.dtype}};
}

Grads grad_shape_ops(Graph& g, const Op& op, const Grads& dy) {
  if (!dy[0].valid()) return {Value{}};
  const Shape xs = g.value(op.inputs[0]).shape;
  if (op.kind == OpKind::reshape) return {ops::reshape(dy[0], xs)};
  if (op.kind == OpKind::broadcast_to) return {ops::unbroadcast(dy[0], xs)};
  const auto& perm = std::get<TransposeAttrs>(op.attrs).perm;
  std::vector<int> inverse(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int>(i);
  return {ops::transpose(dy[0], inverse)};
}

}  // namespace rules

Value ops::reshape(Value x, Shape shape) {
  if (x.shape() == shape) return x;
  return x.graph().add_op(OpKind::reshape, ShapeAttrs{std::move(shape)}, {x.id()})[0];
}
Value ops::broadcast_to(Value x, Shape shape) {
  if (x.shape() == shape) return x;
  return x.graph().add_op(OpKind::broadcast_to, ShapeAttrs{std::move(shape)}, {x.id()})[0];
}
Value ops::transpose(Value x, std::vector<int> perm) {
  return x.graph().add_op(OpKind::transpose, TransposeAttrs{std::move(perm)}, {x.id()})[0];
}

}  // namespace strata
