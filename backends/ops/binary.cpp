#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {
bool is_comparison(BinaryKind k) { return k >= BinaryKind::equal; }
}  // namespace

std::vector<OutputSpec> infer_binary(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 2, 2);
  const auto& a = std::get<BinaryAttrs>(attrs);
  const ValueInfo& va = g.value(in[0]);
  const ValueInfo& vb = g.value(in[1]);
  if (va.dtype != vb.dtype)
    shape_error(g, kind, "operand dtypes differ: " + std::string(dtype_name(va.dtype)) + " and " +
                             std::string(dtype_name(vb.dtype)));
  if (!is_comparison(a.kind)) expect_float(g, kind, in[0], "operand");
  const Shape &sa = va.shape, &sb = vb.shape;
  std::size_t r = std::max(sa.size(), sb.size());
  Shape out(r);
  for (std::size_t i = 0; i < r; ++i) {
    std::int64_t da = i + sa.size() >= r ? sa[i + sa.size() - r] : 1;
    std::int64_t db = i + sb.size() >= r ? sb[i + sb.size() - r] : 1;
    if (da != db && da != 1 && db != 1)
      shape_error(g, kind, "shapes " + shape_str(sa) + " and " + shape_str(sb) + " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  return {{out, DType::float32}};
}

Grads grad_binary(Graph& g, const Op& op, const Grads& dy) {
  const auto k = std::get<BinaryAttrs>(op.attrs).kind;
  Value a(&g, op.inputs[0]), b(&g, op.inputs[1]), d = dy[0];
  if (is_comparison(k) || !d.valid()) return {Value{}, Value{}};
  const Shape sa = a.shape(), sb = b.shape();
  switch (k) {
    case BinaryKind::add: return {ops::unbroadcast(d, sa), ops::unbroadcast(d, sb)};
    case BinaryKind::sub: return {ops::unbroadcast(d, sa), ops::unbroadcast(-d, sb)};
    case BinaryKind::mul: return {ops::unbroadcast(d * b, sa), ops::unbroadcast(d * a, sb)};
    case BinaryKind::div: {
      Value y(&g, op.outputs[0]);
      return {ops::unbroadcast(d / b, sa), ops::unbroadcast(-(d * y) / b, sb)};
    }
    case BinaryKind::max:
    case BinaryKind::min: {
      // ties send the gradient to the first operand, as TensorFlow does
      Value mask = ops::binary(a, b, k == BinaryKind::max ? BinaryKind::greater_equal : BinaryKind::less_equal);
      return {ops::unbroadcast(d * mask, sa), ops::unbroadcast(d * (1.0f - mask), sb)};
    }
    case BinaryKind::pow: {
      Value y(&g, op.outputs[0]);
      Value da = d * b * ops::binary(a, b - 1.0f, BinaryKind::pow);
      Value db = d * y * ops::log(a);
      return {ops::unbroadcast(da, sa), ops::unbroadcast(db, sb)};
    }
    default: return {Value{}, Value{}};
  }
}

}  // namespace rules

Value ops::binary(Value a, Value b, BinaryKind kind) {
  return a.graph().add_op(OpKind::binary, BinaryAttrs{kind}, {a.id(), b.id()})[0];
}
Value ops::maximum(Value a, Value b) { return binary(a, b, BinaryKind::max); }
Value ops::minimum(Value a, Value b) { return binary(a, b, BinaryKind::min); }
Value ops::equal(Value a, Value b) { return binary(a, b, BinaryKind::equal); }
Value ops::greater(Value a, Value b) { return binary(a, b, BinaryKind::greater); }

Value ops::unbroadcast(Value grad, Shape target) {
  const Shape s = grad.shape();
  if (s == target) return grad;
  std::size_t lead = s.size() - target.size();
  std::vector<int> axes;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i < lead || (target[i - lead] == 1 && s[i] != 1)) axes.push_back(static_cast<int>(i));
  Value r = axes.empty() ? grad : ops::sum(grad, axes);
  return r.shape() == target ? r : ops::reshape(r, target);
}

Value operator+(Value a, Value b) { return ops::binary(a, b, BinaryKind::add); }
Value operator-(Value a, Value b) { return ops::binary(a, b, BinaryKind::sub); }
Value operator*(Value a, Value b) { return ops::binary(a, b, BinaryKind::mul); }
Value operator/(Value a, Value b) { return ops::binary(a, b, BinaryKind::div); }

}  // namespace strata
