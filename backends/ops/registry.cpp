#include <strata/backends/ops/op_rules.hpp>

namespace strata {

std::string_view op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::matmul: return "matmul";
    case OpKind::convolution: return "convolution";
    case OpKind::convolution_backward_data: return "convolution_backward_data";
    case OpKind::convolution_backward_weights: return "convolution_backward_weights";
    case OpKind::pooling: return "pooling";
    case OpKind::pooling_backward: return "pooling_backward";
    case OpKind::batch_norm: return "batch_norm";
    case OpKind::batch_norm_backward: return "batch_norm_backward";
    case OpKind::eltwise: return "eltwise";
    case OpKind::eltwise_backward: return "eltwise_backward";
    case OpKind::softmax: return "softmax";
    case OpKind::softmax_backward: return "softmax_backward";
    case OpKind::binary: return "binary";
    case OpKind::reduce: return "reduce";
    case OpKind::broadcast_to: return "broadcast_to";
    case OpKind::reshape: return "reshape";
    case OpKind::transpose: return "transpose";
    case OpKind::dropout: return "dropout";
    case OpKind::one_hot: return "one_hot";
    case OpKind::argmax: return "argmax";
    case OpKind::cast: return "cast";
    case OpKind::assign: return "assign";
    case OpKind::assign_add: return "assign_add";
    case OpKind::optimizer_update: return "optimizer_update";
    case OpKind::concat: return "concat";
    case OpKind::slice: return "slice";
    case OpKind::pad: return "pad";
    case OpKind::resampling: return "resampling";
    case OpKind::resampling_backward: return "resampling_backward";
    case OpKind::layer_norm: return "layer_norm";
    case OpKind::layer_norm_backward: return "layer_norm_backward";
    case OpKind::random: return "random";
    case OpKind::image_resize: return "image_resize";
    case OpKind::affine_transform: return "affine_transform";
    case OpKind::ctc_loss: return "ctc_loss";
    case OpKind::ctc_loss_backward: return "ctc_loss_backward";
  }
  return "?";
}

namespace {
enum class Family { matmul, convolution, pooling, batch_norm, eltwise, softmax, binary, reduce, shape_ops, dropout,
                    indexing, state, merging, layer_norm, random, image,
                    ctc };

Family family_of(OpKind kind) {
  switch (kind) {
    case OpKind::matmul: return Family::matmul;
    case OpKind::convolution:
    case OpKind::convolution_backward_data:
    case OpKind::convolution_backward_weights: return Family::convolution;
    case OpKind::pooling:
    case OpKind::pooling_backward: return Family::pooling;
    case OpKind::batch_norm:
    case OpKind::batch_norm_backward: return Family::batch_norm;
    case OpKind::eltwise:
    case OpKind::eltwise_backward: return Family::eltwise;
    case OpKind::softmax:
    case OpKind::softmax_backward: return Family::softmax;
    case OpKind::binary: return Family::binary;
    case OpKind::reduce: return Family::reduce;
    case OpKind::broadcast_to:
    case OpKind::reshape:
    case OpKind::transpose: return Family::shape_ops;
    case OpKind::dropout: return Family::dropout;
    case OpKind::one_hot:
    case OpKind::argmax:
    case OpKind::cast: return Family::indexing;
    case OpKind::assign:
    case OpKind::assign_add:
    case OpKind::optimizer_update: return Family::state;
    case OpKind::concat:
    case OpKind::slice:
    case OpKind::pad:
    case OpKind::resampling:
    case OpKind::resampling_backward: return Family::merging;
    case OpKind::layer_norm:
    case OpKind::layer_norm_backward: return Family::layer_norm;
    case OpKind::random: return Family::random;
    case OpKind::image_resize:
    case OpKind::affine_transform: return Family::image;
    case OpKind::ctc_loss:
    case OpKind::ctc_loss_backward: return Family::ctc;
  }
  return Family::state;
}
}  // namespace

std::vector<OutputSpec> infer_outputs(const Graph& graph, OpKind kind, OpAttrs& attrs,
                                      const std::vector<ValueId>& inputs) {
  using namespace rules;
  switch (family_of(kind)) {
    case Family::matmul: return infer_matmul(graph, kind, attrs, inputs);
    case Family::convolution: return infer_convolution(graph, kind, attrs, inputs);
    case Family::pooling: return infer_pooling(graph, kind, attrs, inputs);
    case Family::batch_norm: return infer_batch_norm(graph, kind, attrs, inputs);
    case Family::eltwise: return infer_eltwise(graph, kind, attrs, inputs);
    case Family::softmax: return infer_softmax(graph, kind, attrs, inputs);
    case Family::binary: return infer_binary(graph, kind, attrs, inputs);
    case Family::reduce: return infer_reduce(graph, kind, attrs, inputs);
    case Family::shape_ops: return infer_shape_ops(graph, kind, attrs, inputs);
    case Family::dropout: return infer_dropout(graph, kind, attrs, inputs);
    case Family::indexing: return infer_indexing(graph, kind, attrs, inputs);
    case Family::state: return infer_state(graph, kind, attrs, inputs);
    case Family::merging: return infer_merging(graph, kind, attrs, inputs);
    case Family::layer_norm: return infer_layer_norm(graph, kind, attrs, inputs);
    case Family::random: return infer_random(graph, kind, attrs, inputs);
    case Family::image: return infer_image(graph, kind, attrs, inputs);
    case Family::ctc: return infer_ctc(graph, kind, attrs, inputs);
  }
  return {};
}

std::vector<Value> gradient(Graph& graph, const Op& op, const std::vector<Value>& dy) {
  using namespace rules;
  switch (family_of(op.kind)) {
    case Family::matmul: return grad_matmul(graph, op, dy);
    case Family::convolution: return grad_convolution(graph, op, dy);
    case Family::pooling: return grad_pooling(graph, op, dy);
    case Family::batch_norm: return grad_batch_norm(graph, op, dy);
    case Family::eltwise: return grad_eltwise(graph, op, dy);
    case Family::softmax: return grad_softmax(graph, op, dy);
    case Family::binary: return grad_binary(graph, op, dy);
    case Family::reduce: return grad_reduce(graph, op, dy);
    case Family::shape_ops: return grad_shape_ops(graph, op, dy);
    case Family::dropout: return grad_dropout(graph, op, dy);
    case Family::indexing: return grad_indexing(graph, op, dy);
    case Family::state: return grad_state(graph, op, dy);
    case Family::merging: return grad_merging(graph, op, dy);
    case Family::layer_norm: return grad_layer_norm(graph, op, dy);
    case Family::random: return grad_random(graph, op, dy);
    case Family::image: return grad_image(graph, op, dy);
    case Family::ctc: return grad_ctc(graph, op, dy);
  }
  return {};
}

namespace rules {

void shape_error(const Graph& graph, OpKind kind, const std::string& what) {
  std::string where = graph.layer_scope().empty() ? "" : "layer '" + graph.layer_scope() + "': ";
  throw ShapeError(where + std::string(op_kind_name(kind)) + ": " + what);
}

void expect_inputs(const Graph& graph, OpKind kind, const Inputs& inputs, std::size_t lo, std::size_t hi) {
  if (inputs.size() < lo || inputs.size() > hi)
    shape_error(graph, kind, "expects " + std::to_string(lo) + (lo == hi ? "" : ".." + std::to_string(hi)) +
                                 " inputs, got " + std::to_string(inputs.size()));
}

void expect_float(const Graph& graph, OpKind kind, ValueId id, const char* role) {
  if (graph.value(id).dtype != DType::float32)
    shape_error(graph, kind, std::string(role) + " must be float32, got " +
                                 std::string(dtype_name(graph.value(id).dtype)));
}

int normalize_axis(const Graph& graph, OpKind kind, int axis, int rank) {
  int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    shape_error(graph, kind, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return a;
}

}  // namespace rules
}  // namespace strata
