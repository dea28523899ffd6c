#pragma once
#include <strata/api/graph/graph.hpp>

namespace strata {

/// Reverse-mode autodiff: appends the ops computing d(loss)/d(wrt[i]) to loss's graph, one gradient rule
/// per op kind. An entry is invalid where wrt[i] does not influence loss.
std::vector<Value> gradients(Value loss, const std::vector<Value>& wrt);

}  // namespace strata
