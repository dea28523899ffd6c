#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_matmul(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 2, 3);
  const auto& a = std::get<MatmulAttrs>(attrs);
  const Shape& sa = g.value(in[0]).shape;
  const Shape& sb = g.value(in[1]).shape;
  expect_float(g, kind, in[0], "a");
  expect_float(g, kind, in[1], "b");
  if (sa.size() < 2 || sa.size() != sb.size())
    shape_error(g, kind, "operands must have equal rank >= 2, got " + shape_str(sa) + " and " + shape_str(sb));
  std::size_t r = sa.size();
  for (std::size_t i = 0; i + 2 < r; ++i)
    if (sa[i] != sb[i]) shape_error(g, kind, "batch dims differ: " + shape_str(sa) + " and " + shape_str(sb));
  std::int64_t m = a.transpose_a ? sa[r - 1] : sa[r - 2];
  std::int64_t ka = a.transpose_a ? sa[r - 2] : sa[r - 1];
  std::int64_t kb = a.transpose_b ? sb[r - 1] : sb[r - 2];
  std::int64_t n = a.transpose_b ? sb[r - 2] : sb[r - 1];
  if (ka != kb)
    shape_error(g, kind, "cannot multiply " + shape_str(sa) + (a.transpose_a ? "ᵀ" : "") + " by " + shape_str(sb) +
                             (a.transpose_b ? "ᵀ" : "") + ": inner dimensions " + std::to_string(ka) + " and " +
                             std::to_string(kb) + " differ");
  if (in.size() == 3 && g.value(in[2]).shape != Shape{n})
    shape_error(g, kind, "bias shape " + shape_str(g.value(in[2]).shape) + " must be (" + std::to_string(n) + ",)");
  Shape out(sa.begin(), sa.end() - 2);
  out.push_back(m);
  out.push_back(n);
  return {{out, DType::float32}};
}

Grads grad_matmul(Graph& g, const Op& op, const Grads& dy) {
  const auto& a = std::get<MatmulAttrs>(op.attrs);
  if (op.inputs.size() == 3 || a.post.enabled)
    throw UnsupportedError("matmul: a fused matmul has no gradient rule (fusion runs after autodiff)");
  Value x(&g, op.inputs[0]), w(&g, op.inputs[1]), d = dy[0];
  if (!d.valid()) return {Value{}, Value{}};
  bool ta = a.transpose_a, tb = a.transpose_b;
  if (!ta && !tb) return {ops::matmul(d, w, false, true), ops::matmul(x, d, true, false)};
  if (!ta && tb) return {ops::matmul(d, w, false, false), ops::matmul(d, x, true, false)};
  if (ta && !tb) return {ops::matmul(w, d, false, true), ops::matmul(x, d, false, false)};
  return {ops::matmul(w, d, true, true), ops::matmul(d, x, true, true)};
}

}  // namespace rules

Value ops::matmul(Value a, Value b, bool transpose_a, bool transpose_b) {
  return a.graph().add_op(OpKind::matmul, MatmulAttrs{transpose_a, transpose_b, {}}, {a.id(), b.id()})[0];
}

}  // namespace strata
