#pragma once
// Per-family shape inference and gradient rules, dispatched by backends/ops/registry.cpp.
#include <strata/backends/ops/ops.hpp>

namespace strata::rules {

using Inputs = std::vector<ValueId>;
using Grads = std::vector<Value>;

/// ShapeError naming the layer and op at fault.
[[noreturn]] void shape_error(const Graph& graph, OpKind kind, const std::string& what);
void expect_inputs(const Graph& graph, OpKind kind, const Inputs& inputs, std::size_t lo, std::size_t hi);
void expect_float(const Graph& graph, OpKind kind, ValueId id, const char* role);
int normalize_axis(const Graph& graph, OpKind kind, int axis, int rank);

#define STRATA_OP_FAMILY(family)                                                                         \
  std::vector<OutputSpec> infer_##family(const Graph& graph, OpKind kind, OpAttrs& attrs, const Inputs& in); \
  Grads grad_##family(Graph& graph, const Op& op, const Grads& dy);

STRATA_OP_FAMILY(matmul)
STRATA_OP_FAMILY(convolution)
STRATA_OP_FAMILY(pooling)
STRATA_OP_FAMILY(batch_norm)
STRATA_OP_FAMILY(eltwise)
STRATA_OP_FAMILY(softmax)
STRATA_OP_FAMILY(binary)
STRATA_OP_FAMILY(reduce)
STRATA_OP_FAMILY(shape_ops)
STRATA_OP_FAMILY(dropout)
STRATA_OP_FAMILY(indexing)
STRATA_OP_FAMILY(state)
STRATA_OP_FAMILY(merging)  // concat, slice, pad, resampling (issue 4)
STRATA_OP_FAMILY(layer_norm)
STRATA_OP_FAMILY(random)
STRATA_OP_FAMILY(image)  // image_resize, affine_transform (issue 6)
STRATA_OP_FAMILY(ctc)    // ctc_loss, ctc_loss_backward (issue 5)
#undef STRATA_OP_FAMILY

}  // namespace strata::rules
