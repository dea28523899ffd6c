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

std::int64_t channels_of(const Shape& s, bool channels_first) { return channels_first ? s[1] : s.back(); }
std::int64_t spatial_of(const Shape& s, std::size_t i, bool channels_first) { return s[i + (channels_first ? 2 : 1)]; }
Shape activation_shape(std::int64_t batch, std::int64_t channels, const Shape& spatial, bool channels_first) {
  Shape out{batch};
  if (channels_first) out.push_back(channels);
  out.insert(out.end(), spatial.begin(), spatial.end());
  if (!channels_first) out.push_back(channels);
  return out;
}

/// Output shape of a forward convolution of x (N, spatial..., C) (or (N, C, spatial...)) with w (k..., C/groups, F).
Shape conv_output(const Graph& g, OpKind kind, const ConvolutionAttrs& a, const Shape& x, const Shape& w) {
  if (x.size() < 3 || x.size() > 5 || w.size() != x.size())
    shape_error(g, kind, "input " + shape_str(x) + " and kernel " + shape_str(w) +
                             " must have rank 3..5 (batch, spatial..., channels) with matching kernel rank");
  std::size_t spatial = x.size() - 2;
  check_attrs(g, kind, a, spatial);
  std::int64_t in_c = channels_of(x, a.channels_first), filters = w.back();
  if (in_c % a.groups != 0 || filters % a.groups != 0 || w[spatial] * a.groups != in_c)
    shape_error(g, kind, "input channels " + std::to_string(in_c) + " do not match kernel " + shape_str(w) +
                             " with groups=" + std::to_string(a.groups));
  Shape out_spatial;
  for (std::size_t i = 0; i < spatial; ++i) {
    std::int64_t eff = (w[i] - 1) * a.dilations[i] + 1;
    std::int64_t padded = spatial_of(x, i, a.channels_first) + a.pad_begin[i] + a.pad_end[i];
    if (padded < eff)
      shape_error(g, kind, "kernel " + shape_str(w) + " (dilated size " + std::to_string(eff) +
                               ") is larger than the padded input " + shape_str(x) + " in spatial dim " +
                               std::to_string(i));
    out_spatial.push_back((padded - eff) / a.strides[i] + 1);
  }
  return activation_shape(x[0], filters, out_spatial, a.channels_first);
}
}  // namespace

std::vector<OutputSpec> infer_convolution(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  auto& a = std::get<ConvolutionAttrs>(attrs);
  for (auto id : in) expect_float(g, kind, id, "operand");
  if (kind == OpKind::convolution) {
    expect_inputs(g, kind, in, 2, 3);
    Shape out = conv_output(g, kind, a, g.value(in[0]).shape, g.value(in[1]).shape);
    // a fused bias: (F,), or (F, 1, ...) as channels_first layers shape it
    if (in.size() == 3 && num_elements(g.value(in[2]).shape) != channels_of(out, a.channels_first))
      shape_error(g, kind, "bias shape " + shape_str(g.value(in[2]).shape) + " must hold " +
                               std::to_string(channels_of(out, a.channels_first)) + " channels");
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
  auto a = std::get<ConvolutionAttrs>(op.attrs);
  if (op.kind == OpKind::convolution_backward_weights)
    throw UnsupportedError(std::string(op_kind_name(op.kind)) + " has no gradient (second-order gradients)");
  if (op.inputs.size() == 3 || a.post.enabled)
    throw UnsupportedError("convolution: a fused convolution has no gradient rule (fusion runs after autodiff)");
  if (!dy[0].valid()) return {Value{}, Value{}};
  if (op.kind == OpKind::convolution_backward_data) {
    // y = conv^T(x, w) (Keras's conv_transpose): dx = conv(dy, w), dw = conv_backward_weights(dy, x)
    ConvolutionAttrs fwd = a;
    fwd.input_shape.clear();
    Value dx = g.add_op(OpKind::convolution, fwd, {dy[0].id(), op.inputs[1]})[0];
    fwd.input_shape = a.input_shape;
    fwd.weights_shape = g.value(op.inputs[1]).shape;
    Value dw = g.add_op(OpKind::convolution_backward_weights, fwd, {dy[0].id(), op.inputs[0]})[0];
    return {dx, dw};
  }
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

Value ops::conv_transpose(Value x, Value w, const ConvTransposeSpec& spec) {
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  const bool cf = spec.channels_first;
  if (xs.size() < 3 || xs.size() > 5 || ws.size() != xs.size())
    throw ShapeError("conv_transpose: input " + shape_str(xs) + " and kernel " + shape_str(ws) +
                     " must have rank 3..5 with matching kernel rank");
  const std::size_t n = xs.size() - 2;
  ConvolutionAttrs a;
  a.strides = spec.strides;
  a.dilations = spec.dilations;
  a.channels_first = cf;
  a.pad_begin.assign(n, 0);
  a.pad_end.assign(n, 0);
  Shape out_spatial;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t in = rules::spatial_of(xs, i, cf), s = spec.strides[i];
    const std::int64_t k = (ws[i] - 1) * spec.dilations[i] + 1;
    const bool has_op = !spec.output_padding.empty();
    const std::int64_t op = has_op ? spec.output_padding[i] : 0;
    // jax's explicit padding of the stride-dilated input (keras.src.backend.common.backend_utils)
    std::int64_t left, right;
    if (spec.padding == "valid") {
      left = k - 1;
      right = k - 1 + (has_op ? op : std::max(k, s) - k);
    } else {
      const std::int64_t pad_len = has_op ? k + k % 2 - 2 + op : s + k - 2;
      left = std::min(pad_len / 2 + pad_len % 2, k - 1);
      right = pad_len - left;
    }
    const std::int64_t length = (in - 1) * s + 1 + left + right - k + 1;
    if (in >= 0 && length <= 0)
      throw ShapeError("conv_transpose: input " + shape_str(xs) + " and kernel " + shape_str(ws) +
                       " give a non-positive output length " + std::to_string(length) + " in spatial dim " +
                       std::to_string(i));
    out_spatial.push_back(length);
    // the forward convolution whose input gradient this is; a negative right padding (positions no window
    // reaches) becomes 0, which floor division in the forward output length absorbs while it is < stride
    a.pad_begin[i] = k - 1 - left;
    a.pad_end[i] = std::max<std::int64_t>(k - 1 - right, 0);
    if (in >= 0 && (length + a.pad_begin[i] + a.pad_end[i] - k) / s + 1 != in)
      throw UnsupportedError("conv_transpose: output_padding " + std::to_string(op) + " with strides " +
                             std::to_string(s) + " has no equivalent forward convolution in spatial dim " +
                             std::to_string(i));
  }
  a.input_shape = rules::activation_shape(xs[0], ws[n], out_spatial, cf);
  return x.graph().add_op(OpKind::convolution_backward_data, a, {x.id(), w.id()})[0];
}

void ops::resolve_padding(const std::string& padding, const Shape& spatial_in, const std::vector<std::int64_t>& window,
                          const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilations,
                          std::vector<std::int64_t>& pad_begin, std::vector<std::int64_t>& pad_end) {
  std::size_t n = spatial_in.size();
  pad_begin.assign(n, 0);
  pad_end.assign(n, 0);
  if (padding == "valid") return;
  if (padding == "causal") {  // Keras's Conv1D: everything on the left, so y[t] sees only x[..t]
    for (std::size_t i = 0; i < n; ++i) pad_begin[i] = (window[i] - 1) * dilations[i];
    return;
  }
  if (padding != "same")
    throw ValueError("padding must be one of \"valid\", \"same\", \"causal\"; got \"" + padding + "\"");
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t out = (spatial_in[i] + strides[i] - 1) / strides[i];
    std::int64_t eff = (window[i] - 1) * dilations[i] + 1;
    std::int64_t total = std::max<std::int64_t>((out - 1) * strides[i] + eff - spatial_in[i], 0);
    pad_begin[i] = total / 2;
    pad_end[i] = total - total / 2;
  }
}

}  // namespace strata
