// Ops of the CTC loss: ctc_loss (per-sample loss) and ctc_loss_backward (its gradient w.r.t. the logits).
#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {

void expect_int(const Graph& g, OpKind kind, ValueId id, const char* role) {
  DType d = g.value(id).dtype;
  if (d != DType::int32)
    shape_error(g, kind, std::string(role) + " must be int32, got " + std::string(dtype_name(d)));
}

}  // namespace

std::vector<OutputSpec> infer_ctc(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, kind == OpKind::ctc_loss ? 2 : 3, kind == OpKind::ctc_loss ? 2 : 3);
  expect_int(g, kind, in[0], "labels");
  expect_float(g, kind, in[1], "logits");
  const Shape& labels = g.value(in[0]).shape;
  const Shape& logits = g.value(in[1]).shape;
  if (labels.size() != 2 || logits.size() != 3 || labels[0] != logits[0])
    shape_error(g, kind, "labels " + shape_str(labels) + " must be (batch, max_label_length) and logits " +
                             shape_str(logits) + " (batch, time, classes) of the same batch");
  const auto mask_index = std::get<CtcAttrs>(attrs).mask_index;
  if (mask_index < 0 || mask_index >= logits[2])
    shape_error(g, kind, "mask_index " + std::to_string(mask_index) + " is not a class of logits " + shape_str(logits));
  if (kind == OpKind::ctc_loss) return {{Shape{logits[0]}, DType::float32}};
  expect_float(g, kind, in[2], "dloss");
  if (g.value(in[2]).shape != Shape{logits[0]})
    shape_error(g, kind, "dloss " + shape_str(g.value(in[2]).shape) + " must be (batch,) = (" +
                             std::to_string(logits[0]) + ",)");
  return {{logits, DType::float32}};
}

Grads grad_ctc(Graph& g, const Op& op, const Grads& dy) {
  if (op.kind != OpKind::ctc_loss || !dy[0].valid()) return Grads(op.inputs.size());
  // the backward kernel reruns the forward recursion: no per-step state is kept alive between the passes
  Value dlogits = g.add_op(OpKind::ctc_loss_backward, op.attrs, {op.inputs[0], op.inputs[1], dy[0].id()})[0];
  return {Value{}, dlogits};
}

}  // namespace rules

Value ops::ctc_loss(Value labels, Value logits, std::int64_t mask_index) {
  return logits.graph().add_op(OpKind::ctc_loss, CtcAttrs{mask_index}, {labels.id(), logits.id()})[0];
}

}  // namespace strata
