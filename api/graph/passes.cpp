#include <strata/api/graph/passes.hpp>

#include <algorithm>

#include <strata/api/graph/program.hpp>

namespace strata {

namespace {

/// Eltwise kinds oneDNN runs as post-ops (selu, softsign and NaN-propagating clip are strata's own kernels).
bool fusable_activation(EltwiseKind kind) {
  return kind != EltwiseKind::selu && kind != EltwiseKind::softsign && kind != EltwiseKind::clip;
}

PostOp& post_of(Op& op) {
  return op.kind == OpKind::matmul ? std::get<MatmulAttrs>(op.attrs).post : std::get<ConvolutionAttrs>(op.attrs).post;
}

void remove(Op& op) {
  op.inputs.clear();
  op.outputs.clear();
}

}  // namespace

void fuse_ops(Graph& graph, const std::vector<ValueId>& outputs) {
  auto& ops = graph.ops();
  std::vector<int> consumers(graph.values().size(), 0);
  std::vector<int> consumer_op(graph.values().size(), -1);
  for (int i : live_ops(graph, outputs))
    for (auto in : ops[i].inputs) {
      ++consumers[in];
      consumer_op[in] = i;
    }
  for (auto out : outputs) consumers[out] += 2;  // a program output must stay a separate value

  // Only the single consumer of a value may absorb it.
  auto sole_consumer = [&](ValueId v) { return consumers[v] == 1 ? consumer_op[v] : -1; };

  for (int i = 0; i < static_cast<int>(ops.size()); ++i) {
    Op& op = ops[i];
    if ((op.kind != OpKind::matmul && op.kind != OpKind::convolution) || op.inputs.size() != 2) continue;
    ValueId y = op.outputs[0];
    int a = sole_consumer(y);
    if (a < 0 || ops[a].kind != OpKind::binary || std::get<BinaryAttrs>(ops[a].attrs).kind != BinaryKind::add)
      continue;
    ValueId bias = ops[a].inputs[0] == y ? ops[a].inputs[1] : ops[a].inputs[0];
    const ValueInfo& b = graph.value(bias);
    // the bias must exist before this op runs, and be a (channels,) vector added along the channel axis
    // (channels_first layers shape it (channels, 1, ...))
    bool ready = b.kind != ValueKind::intermediate || b.producer < i;
    const Shape& ys = graph.value(y).shape;
    Shape channel_bias{ys.back()};
    if (op.kind == OpKind::convolution && std::get<ConvolutionAttrs>(op.attrs).channels_first) {
      channel_bias.assign(ys.size() - 1, 1);
      channel_bias[0] = ys[1];
    }
    if (!ready || b.shape != channel_bias || graph.value(ops[a].outputs[0]).shape != ys) continue;
    op.inputs.push_back(bias);
    op.outputs[0] = ops[a].outputs[0];
    graph.value(op.outputs[0]).producer = i;
    remove(ops[a]);

    ValueId z = op.outputs[0];
    int e = sole_consumer(z);
    if (e < 0 || ops[e].kind != OpKind::eltwise) continue;
    const auto& act = std::get<EltwiseAttrs>(ops[e].attrs);
    if (!fusable_activation(act.kind)) continue;
    post_of(op) = PostOp{true, act.kind, act.alpha, act.beta};
    op.outputs[0] = ops[e].outputs[0];
    graph.value(op.outputs[0]).producer = i;
    remove(ops[e]);
  }
}

}  // namespace strata
