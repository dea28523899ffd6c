// Ops of the pooling, reshaping and merging layers: concat, slice, pad, resampling.
#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {

std::string list_str(const std::vector<std::int64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

std::vector<OutputSpec> infer_concat(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  if (in.empty()) shape_error(g, kind, "expects at least 1 input, got 0");
  auto& a = std::get<AxisAttrs>(attrs);
  const ValueInfo& first = g.value(in[0]);
  const int rank = static_cast<int>(first.shape.size());
  if (rank == 0) shape_error(g, kind, "cannot concatenate scalars");
  a.axis = normalize_axis(g, kind, a.axis, rank);
  Shape out = first.shape;
  out[a.axis] = 0;
  for (ValueId id : in) {
    const ValueInfo& v = g.value(id);
    bool ok = v.dtype == first.dtype && v.shape.size() == first.shape.size();
    for (int i = 0; ok && i < rank; ++i) ok = i == a.axis || v.shape[i] == first.shape[i];
    if (!ok)
      shape_error(g, kind, "inputs " + shape_str(first.shape) + " and " + shape_str(v.shape) +
                               " must have the same dtype and match except along axis " + std::to_string(a.axis));
    out[a.axis] += v.shape[a.axis];
  }
  return {{out, first.dtype}};
}

std::vector<OutputSpec> infer_slice(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  const auto& a = std::get<SliceAttrs>(attrs);
  const ValueInfo& x = g.value(in[0]);
  if (a.begin.size() != x.shape.size() || a.end.size() != x.shape.size())
    shape_error(g, kind, "begin " + list_str(a.begin) + " and end " + list_str(a.end) + " need one entry per axis of " +
                             shape_str(x.shape));
  Shape out;
  for (std::size_t i = 0; i < x.shape.size(); ++i) {
    if (a.begin[i] < 0 || a.begin[i] > a.end[i] || a.end[i] > x.shape[i])
      shape_error(g, kind, "slice [" + list_str(a.begin) + ", " + list_str(a.end) + ") is outside " +
                               shape_str(x.shape) + " along axis " + std::to_string(i));
    out.push_back(a.end[i] - a.begin[i]);
  }
  return {{out, x.dtype}};
}

std::vector<OutputSpec> infer_pad(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  const auto& a = std::get<PadAttrs>(attrs);
  const ValueInfo& x = g.value(in[0]);
  if (a.pad_begin.size() != x.shape.size() || a.pad_end.size() != x.shape.size())
    shape_error(g, kind, "paddings " + list_str(a.pad_begin) + " and " + list_str(a.pad_end) +
                             " need one entry per axis of " + shape_str(x.shape));
  Shape out;
  for (std::size_t i = 0; i < x.shape.size(); ++i) {
    if (a.pad_begin[i] < 0 || a.pad_end[i] < 0)
      shape_error(g, kind, "paddings " + list_str(a.pad_begin) + " and " + list_str(a.pad_end) + " must be >= 0");
    out.push_back(x.shape[i] + a.pad_begin[i] + a.pad_end[i]);
  }
  return {{out, x.dtype}};
}

/// y's shape for x scaled by the factors of `a` in its spatial dims.
Shape resampled(const Graph& g, OpKind kind, const ResamplingAttrs& a, const Shape& x) {
  if (x.size() < 3 || x.size() > 5 || a.factors.size() != x.size() - 2)
    shape_error(g, kind, "input " + shape_str(x) + " needs rank 3..5 and one factor per spatial dim, got factors " +
                             list_str(a.factors));
  Shape y = x;
  const std::size_t first = a.channels_first ? 2 : 1;
  for (std::size_t i = 0; i < a.factors.size(); ++i) {
    if (a.factors[i] < 1) shape_error(g, kind, "factors " + list_str(a.factors) + " must be >= 1");
    y[first + i] *= a.factors[i];
  }
  return y;
}

}  // namespace

std::vector<OutputSpec> infer_merging(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  switch (kind) {
    case OpKind::concat: return infer_concat(g, kind, attrs, in);
    case OpKind::slice: return infer_slice(g, kind, attrs, in);
    case OpKind::pad: return infer_pad(g, kind, attrs, in);
    case OpKind::resampling: {
      expect_inputs(g, kind, in, 1, 1);
      expect_float(g, kind, in[0], "input");
      return {{resampled(g, kind, std::get<ResamplingAttrs>(attrs), g.value(in[0]).shape), DType::float32}};
    }
    default: {
      expect_inputs(g, kind, in, 1, 1);
      expect_float(g, kind, in[0], "gradient");
      const auto& a = std::get<ResamplingAttrs>(attrs);
      if (resampled(g, kind, a, a.input_shape) != g.value(in[0]).shape)
        shape_error(g, kind, "gradient " + shape_str(g.value(in[0]).shape) + " does not match input " +
                                 shape_str(a.input_shape) + " scaled by " + list_str(a.factors));
      return {{a.input_shape, DType::float32}};
    }
  }
}

Grads grad_merging(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind == OpKind::resampling_backward) throw UnsupportedError("resampling_backward has no gradient (second order)");
  if (op.kind == OpKind::concat) {
    Grads out(op.inputs.size());
    if (!dy[0].valid()) return out;
    const int axis = std::get<AxisAttrs>(op.attrs).axis;
    const Shape ys = dy[0].shape();
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < op.inputs.size(); ++i) {
      const Shape xs = g.value(op.inputs[i]).shape;
      std::vector<std::int64_t> begin(ys.size(), 0), end(ys.begin(), ys.end());
      begin[axis] = offset;
      end[axis] = offset + xs[axis];
      offset += xs[axis];
      out[i] = ops::slice(dy[0], begin, end);
    }
    return out;
  }
  if (!dy[0].valid()) return {Value{}};
  const Shape xs = g.value(op.inputs[0]).shape;
  if (op.kind == OpKind::slice) {
    const auto& a = std::get<SliceAttrs>(op.attrs);
    std::vector<std::int64_t> after(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) after[i] = xs[i] - a.end[i];
    return {ops::pad(dy[0], a.begin, after)};
  }
  if (op.kind == OpKind::pad) {
    const auto& a = std::get<PadAttrs>(op.attrs);
    std::vector<std::int64_t> end(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) end[i] = a.pad_begin[i] + xs[i];
    return {ops::slice(dy[0], a.pad_begin, end)};
  }
  ResamplingAttrs a = std::get<ResamplingAttrs>(op.attrs);
  a.input_shape = xs;
  return {g.add_op(OpKind::resampling_backward, a, {dy[0].id()})[0]};
}

}  // namespace rules

Value ops::concat(const std::vector<Value>& xs, int axis) {
  if (xs.empty()) throw ValueError("concat: no inputs");
  if (xs.size() == 1) return xs[0];
  std::vector<ValueId> ids;
  for (const auto& x : xs) ids.push_back(x.id());
  return xs[0].graph().add_op(OpKind::concat, AxisAttrs{axis}, ids)[0];
}

Value ops::slice(Value x, std::vector<std::int64_t> begin, std::vector<std::int64_t> end) {
  bool whole = begin.size() == x.shape().size() && end.size() == x.shape().size();
  for (std::size_t i = 0; whole && i < begin.size(); ++i) whole = begin[i] == 0 && end[i] == x.shape()[i];
  if (whole) return x;
  return x.graph().add_op(OpKind::slice, SliceAttrs{std::move(begin), std::move(end)}, {x.id()})[0];
}

Value ops::pad(Value x, std::vector<std::int64_t> pad_begin, std::vector<std::int64_t> pad_end) {
  bool none = pad_begin.size() == x.shape().size() && pad_end.size() == x.shape().size();
  for (std::size_t i = 0; none && i < pad_begin.size(); ++i) none = pad_begin[i] == 0 && pad_end[i] == 0;
  if (none) return x;
  return x.graph().add_op(OpKind::pad, PadAttrs{std::move(pad_begin), std::move(pad_end)}, {x.id()})[0];
}

Value ops::resampling(Value x, ResamplingKind kind, std::vector<std::int64_t> factors, bool channels_first) {
  return x.graph().add_op(OpKind::resampling, ResamplingAttrs{kind, std::move(factors), channels_first, {}},
                          {x.id()})[0];
}

Value ops::repeat(Value x, std::int64_t times, int axis) {
  if (times == 1) return x;
  const Shape s = x.shape();
  const int a = axis < 0 ? axis + static_cast<int>(s.size()) : axis;
  Shape expanded(s.begin(), s.begin() + a + 1);
  expanded.push_back(1);
  expanded.insert(expanded.end(), s.begin() + a + 1, s.end());
  Shape tiled = expanded;
  tiled[a + 1] = times;
  Shape out = s;
  out[a] *= times;
  return ops::reshape(ops::broadcast_to(ops::reshape(x, expanded), tiled), out);
}

}  // namespace strata
