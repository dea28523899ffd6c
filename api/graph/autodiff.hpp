#pragma once
#include <strata/api/graph/graph.hpp>

namespace strata {

/// Reverse-mode autodiff: appends the ops computing d(loss)/d(wrt[i]) to loss's graph, one gradient rule
/// per op kind. An entry is invalid where wrt[i] does not influence loss.
std::vector<Value> gradients(Value loss, const std::vector<Value>& wrt);
/// The same with `seed` (loss's shape) as d(something)/d(loss) instead of ones: a vector-Jacobian product, e.g.
/// a layer's backward pass for a given output gradient.
std::vector<Value> gradients(Value loss, Value seed, const std::vector<Value>& wrt);

}  // namespace strata
