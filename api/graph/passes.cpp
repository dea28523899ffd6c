#include <strata/api/graph/passes.hpp>

namespace strata {

void fuse_ops(Graph& graph, const std::vector<ValueId>& outputs) {}

}  // namespace strata
