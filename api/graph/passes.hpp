#pragma once
#include <strata/api/graph/graph.hpp>

namespace strata {

/// Folds a bias add (and, where its input is not needed by a backward op, the activation after it)
/// into the preceding matmul or convolution, as oneDNN post-ops. Rewrites the graph in place.
void fuse_ops(Graph& graph, const std::vector<ValueId>& outputs);

}  // namespace strata
