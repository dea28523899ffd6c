#pragma once
#include <cstddef>
#include <vector>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// Where each value lives: an offset in one arena, or the buffer of another value it aliases
/// (reshape), or outside the arena (variables, constants).
struct MemoryPlan {
  static constexpr std::size_t not_in_arena = static_cast<std::size_t>(-1);
  std::vector<std::size_t> offset;  // per value; not_in_arena for variables, constants and unused values
  std::vector<ValueId> alias_of;    // per value: the value whose buffer it shares (itself if none)
  std::size_t scratch_offset = 0;   // kernels' transient scratch, shared by all
  std::size_t arena_bytes = 0;      // total, scratch included
  std::size_t sum_of_buffers = 0;   // what a plan without reuse would need (for reporting)
};

/// Plans buffers by lifetime over the schedule `order` (op indices): values whose lifetimes do not
/// overlap share memory (greedy by size, lowest fitting offset). Program inputs and outputs live for
/// the whole run.
MemoryPlan plan_memory(const Graph& graph, const std::vector<int>& order, const std::vector<ValueId>& inputs,
                       const std::vector<ValueId>& outputs, std::size_t scratch_bytes);

}  // namespace strata
