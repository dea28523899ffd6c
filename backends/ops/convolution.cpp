#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {
void check_attrs(const Graph& g, OpKind kind, const ConvolutionAttrs& a, std::size_t spatial) {
  if (a.strides.size() != spatial || a.dilations.size() != spatial || a.pad_begin.size() != spatial ||
      a.pad_end.size() != spatial)
    shape_error(g, kind, "strides, dilations and paddings need " + std::to_string(spatial) + " entries each");
  for (std::size_t i = 0; i < spatial; ++i)
    if (a.strides[i] < 1 || a.dilations[i] < 1 || a.pad_begin[i] < 0 || a.pad_end[i] < 0)
      shape_error(g, kind, "strides and dilations must be >= 1 and paddings >= 0");
  if (a.groups < 1) shape_error(g, kind, "groups must be >= 1");
}

/// Output shape of a forward convolution of x (N, spatial..., C) with w (k..., C/groups, F).
Shape conv_output(const Graph& g, OpKind kind, const ConvolutionAttrs& a, const Shape& x, const Shape& w) {
  std::size_t spatial = x.size() - 2;
  if (x.size() < 3 || x.size() > 5 || w.size() != x.size())
    shape_error(g, kind, "input " + shape_str(x) + " and kernel " + shape_str(w) +
                             " must have rank 3..5 (batch, spatial..., channels) with matching kernel rank");
  check_attrs(g, kind, a, spatial);
  std::int64_t in_c = x.back(), filters = w.back();
  if (in_c % a.groups != 0 || filters % a.groups != 0 || w[spatial] * a.groups != in_c)
    shape_error(g, kind, "input channels " + std::to_string(in_c) + " do not match kernel " + shape_str(w) +
                             " with groups=" + std::to_string(a.groups));
  Shape out{x[0]};
  for (std::size_t i = 0; i < spatial; ++i) {
    std::int64_t eff = (w[i] - 1) * a.dilations[i] + 1;
    std::int64_t padded = x[i + 1] + a.pad_begin[i] + a.pad_end[i];
    if (padded < eff)
      shape_error(g, kind, "kernel " + shape_str(w) + " (dilated size " + std::to_string(eff) +
                               ") is larger than the padded input " + shape_str(x) + " in spatial dim " +
                               std::to_string(i));
    out.push_back((padded - eff) / a.strides[i] + 1);
  }
  out.push_back(filters);
  return out;
}
}  // namespace

std::vector<OutputSpec> infer_convolution(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  auto& a = std::get<ConvolutionAttrs>(attrs);
  for (auto id : in) expect_float(g, kind, id, "operand");
  if (kind == OpKind::convolution) {
    expect_inputs(g, kind, in, 2, 3);
    Shape out = conv_output(g, kind, a, g.value(in[0]).shape, g.value(in[1]).shape);
    if (in.size() == 3 && g.value(in[2]).shape != Shape{out.back()})
      shape_error(g, kind, "bias shape " + shape_str(g.value(in[2]).shape) + " must be (" +
                               std::to_string(out.back()) + ",)");
    return {{out, DType::float32}};
  }
  expect_inputs(g, kind, in, 2, 2);
  if (kind == OpKind::convolution_backward_data) {  // (dy, w) -> dx
    Shape expect = conv_output(g, kind, a, a.input_shape, g.value(in[1]).shape);
    if (expect != g.value(in[0]).shape)
      shape_error(g, kind, "dy " + shape_str(g.value(in[0]).shape) + " does not match forward output " +
                               shape_str(expect));
    return {{a.input_shape, DType::float32}};
  }
  // (x, dy) -> dw
  Shape expect = conv_output(g, kind, a, g.value(in[0]).shape, a.weights_shape);
  if (expect != g.value(in[1]).shape)
    shape_error(g, kind, "dy " + shape_str(g.value(in[1]).shape) + " does not match forward output " +
                             shape_str(expect));
  return {{a.weights_shape, DType::float32}};
}

Grads grad_convolution(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::convolution)
    throw UnsupportedError(std::string(op_kind_name(op.kind)) + " has no gradient (second-order gradients)");
  auto a = std::get<ConvolutionAttrs>(op.attrs);
  if (op.inputs.size() == 3 || a.post.enabled)
    throw UnsupportedError("convolution: a fused convolution has no gradient rule (fusion runs after autodiff)");
  if (!dy[0].valid()) return {Value{}, Value{}};
  a.input_shape = g.value(op.inputs[0]).shape;
  a.weights_shape = g.value(op.inputs[1]).shape;
  Value dx = g.add_op(OpKind::convolution_backward_data, a, {dy[0].id(), op.inputs[1]})[0];
  Value dw = g.add_op(OpKind::convolution_backward_weights, a, {op.inputs[0], dy[0].id()})[0];
  return {dx, dw};
}

}  // namespace rules

Value ops::convolution(Value x, Value w, const ConvolutionAttrs& attrs) {
  return x.graph().add_op(OpKind::convolution, attrs, {x.id(), w.id()})[0];
}

void ops::resolve_padding(const std::string& padding, const Shape& spatial_in, const std::vector<std::int64_t>& window,
                          const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilations,
                          std::vector<std::int64_t>& pad_begin, std::vector<std::int64_t>& pad_end) {
  std::size_t n = spatial_in.size();
  pad_begin.assign(n, 0);
  pad_end.assign(n, 0);
  if (padding == "valid") return;
  if (padding != "same")
    throw ValueError("padding must be one of \"valid\", \"same\"; got \"" + padding + "\"");
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t out = (spatial_in[i] + strides[i] - 1) / strides[i];
    std::int64_t eff = (window[i] - 1) * dilations[i] + 1;
    std::int64_t total = std::max<std::int64_t>((out - 1) * strides[i] + eff - spatial_in[i], 0);
    pad_begin[i] = total / 2;
    pad_end[i] = total - total / 2;
  }
}

}  // namespace strata
