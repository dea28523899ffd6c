#include <strata/api/graph/program.hpp>

#include <chrono>

#include <strata/api/graph/passes.hpp>
#include <strata/api/variable.hpp>
#include <strata/backends/backend.hpp>

namespace strata {

std::vector<int> live_ops(const Graph& graph, const std::vector<ValueId>& outputs) {
  const auto& ops = graph.ops();
  std::vector<bool> needed(graph.values().size(), false);
  for (auto v : outputs) needed[v] = true;
  std::vector<bool> keep(ops.size(), false);
  for (std::size_t i = ops.size(); i-- > 0;) {
    const Op& op = ops[i];
    bool k = graph.has_side_effect(op);
    for (auto out : op.outputs) k = k || needed[out];
    if (!k) continue;
    keep[i] = true;
    for (auto in : op.inputs) needed[in] = true;
  }
  std::vector<int> order;
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (keep[i]) order.push_back(static_cast<int>(i));
  return order;
}

Program::Program(Graph graph, std::vector<ValueId> inputs, std::vector<ValueId> outputs, Backend& backend)
    : graph_(std::move(graph)), inputs_(std::move(inputs)), outputs_(std::move(outputs)), backend_(backend) {
  fuse_ops(graph_, outputs_);
  schedule_ = live_ops(graph_, outputs_);
  std::size_t scratch = 0;
  for (int idx : schedule_) {
    const Op& op = graph_.ops()[idx];
    if (op.kind == OpKind::reshape) {
      kernels_.push_back(nullptr);
      continue;
    }
    kernels_.push_back(backend_.make_kernel(graph_, op));
    scratch = std::max(scratch, kernels_.back()->scratch_bytes());
  }
  constants_.resize(graph_.values().size());
  for (std::size_t v = 0; v < graph_.values().size(); ++v) {
    const ValueInfo& info = graph_.value(static_cast<ValueId>(v));
    if (info.kind != ValueKind::constant) continue;
    constants_[v] = backend_.allocate(std::max<std::size_t>(info.constant->nbytes(), 1));
    backend_.copy_to_device(constants_[v].get(), info.constant->raw(), info.constant->nbytes());
  }
  plan_ = plan_memory(graph_, schedule_, inputs_, outputs_, scratch);
}

Program::~Program() = default;

void* Program::address(ValueId v, void* arena) const {
  ValueId root = plan_.alias_of[v];
  const ValueInfo& info = graph_.value(root);
  if (info.kind == ValueKind::variable) return info.variable->data();
  if (info.kind == ValueKind::constant) return constants_[root].get();
  if (plan_.offset[root] == MemoryPlan::not_in_arena) return nullptr;
  return static_cast<std::byte*>(arena) + plan_.offset[root];
}

std::unique_ptr<Program::Execution> Program::make_execution() const {
  auto e = std::make_unique<Execution>();
  e->arena_ = backend_.allocate(std::max<std::size_t>(plan_.arena_bytes, 64));
  void* arena = e->arena_.get();
  for (auto v : inputs_) e->input_ptrs_.push_back(address(v, arena));
  for (auto v : outputs_) e->output_ptrs_.push_back(address(v, arena));
  void* scratch = static_cast<std::byte*>(arena) + plan_.scratch_offset;
  for (std::size_t s = 0; s < schedule_.size(); ++s) {
    if (!kernels_[s]) continue;
    const Op& op = graph_.ops()[schedule_[s]];
    KernelBuffers b;
    for (auto in : op.inputs) b.inputs.push_back(address(in, arena));
    for (auto out : op.outputs) b.outputs.push_back(address(out, arena));
    b.scratch = scratch;
    e->launches_.push_back(kernels_[s]->bind(b));
    e->launch_ops_.push_back(schedule_[s]);
  }
  return e;
}

void Program::Execution::run() {
  for (auto& launch : launches_) launch();
}

void Program::Execution::run_profiled(std::vector<double>& seconds) {
  seconds.resize(launches_.size());
  for (std::size_t k = 0; k < launches_.size(); ++k) {
    auto start = std::chrono::steady_clock::now();
    launches_[k]();
    seconds[k] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
}

}  // namespace strata
