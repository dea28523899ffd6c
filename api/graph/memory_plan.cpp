#include <strata/api/graph/memory_plan.hpp>

#include <algorithm>

namespace strata {

namespace {
constexpr std::size_t alignment = 64;
std::size_t align_up(std::size_t n) { return (n + alignment - 1) / alignment * alignment; }
}  // namespace

MemoryPlan plan_memory(const Graph& graph, const std::vector<int>& order, const std::vector<ValueId>& inputs,
                       const std::vector<ValueId>& outputs, std::size_t scratch_bytes) {
  const auto& values = graph.values();
  const int n = static_cast<int>(values.size());
  MemoryPlan plan;
  plan.offset.assign(n, MemoryPlan::not_in_arena);
  plan.alias_of.resize(n);
  for (int v = 0; v < n; ++v) plan.alias_of[v] = v;

  // reshape shares its input's buffer
  for (int idx : order) {
    const Op& op = graph.ops()[idx];
    if (op.kind == OpKind::reshape) plan.alias_of[op.outputs[0]] = plan.alias_of[op.inputs[0]];
  }

  const int end = static_cast<int>(order.size());
  std::vector<int> first(n, end + 1), last(n, -2);
  auto touch = [&](ValueId v, int step) {
    ValueId r = plan.alias_of[v];
    first[r] = std::min(first[r], step);
    last[r] = std::max(last[r], step);
  };
  for (auto v : inputs) touch(v, -1);
  for (int s = 0; s < end; ++s) {
    const Op& op = graph.ops()[order[s]];
    for (auto v : op.inputs) touch(v, s);
    for (auto v : op.outputs) touch(v, s);
  }
  for (auto v : inputs) touch(v, end);
  for (auto v : outputs) touch(v, end);

  struct Buffer {
    ValueId value;
    std::size_t bytes;
    int first, last;
    std::size_t offset = 0;
  };
  std::vector<Buffer> buffers;
  for (int v = 0; v < n; ++v) {
    const ValueInfo& info = values[v];
    if (plan.alias_of[v] != v || last[v] < -1) continue;
    if (info.kind == ValueKind::variable || info.kind == ValueKind::constant) continue;
    std::size_t bytes = align_up(static_cast<std::size_t>(num_elements(info.shape)) * dtype_size(info.dtype));
    if (bytes == 0) bytes = alignment;
    buffers.push_back({v, bytes, first[v], last[v]});
    plan.sum_of_buffers += bytes;
  }
  std::sort(buffers.begin(), buffers.end(),
            [](const Buffer& a, const Buffer& b) { return a.bytes != b.bytes ? a.bytes > b.bytes : a.value < b.value; });

  std::vector<const Buffer*> placed;
  std::size_t top = 0;
  for (auto& b : buffers) {
    // candidate gaps between buffers already placed whose lifetimes overlap this one
    std::vector<std::pair<std::size_t, std::size_t>> busy;
    for (const Buffer* p : placed)
      if (p->first <= b.last && b.first <= p->last) busy.emplace_back(p->offset, p->offset + p->bytes);
    std::sort(busy.begin(), busy.end());
    std::size_t best = static_cast<std::size_t>(-1), best_gap = static_cast<std::size_t>(-1), cursor = 0;
    for (auto [lo, hi] : busy) {
      if (lo >= cursor && lo - cursor >= b.bytes && lo - cursor < best_gap) {
        best = cursor;
        best_gap = lo - cursor;
      }
      cursor = std::max(cursor, hi);
    }
    b.offset = best != static_cast<std::size_t>(-1) ? best : cursor;
    top = std::max(top, b.offset + b.bytes);
    placed.push_back(&b);
  }
  for (const auto& b : buffers) plan.offset[b.value] = b.offset;
  for (int v = 0; v < n; ++v) plan.offset[v] = plan.offset[plan.alias_of[v]];
  plan.scratch_offset = top;
  plan.arena_bytes = top + align_up(scratch_bytes);
  return plan;
}

}  // namespace strata
