#pragma once
#include <functional>
#include <memory>
#include <vector>

#include <strata/api/graph/graph.hpp>
#include <strata/api/graph/memory_plan.hpp>

namespace strata {

class Backend;
class Kernel;

/// A graph compiled for one input signature: dead ops removed, ops fused, every op a prepared
/// backend kernel, and a memory plan over one arena. Immutable once built, so several threads may
/// each run their own Execution of it at once.
class Program {
 public:
  /// `inputs` and `outputs` are values of `graph`; side-effect ops (variable updates) always run.
  Program(Graph graph, std::vector<ValueId> inputs, std::vector<ValueId> outputs, Backend& backend);
  ~Program();

  /// One arena and the kernels bound to it: what one caller needs to run the program.
  class Execution {
   public:
    /// Device address of input i / output i in this execution's arena.
    void* input(std::size_t i) const { return input_ptrs_[i]; }
    void* output(std::size_t i) const { return output_ptrs_[i]; }
    /// Runs every kernel in order; allocates nothing.
    void run();
    /// run(), adding each kernel's wall time to seconds[k]; launch k runs op graph().ops()[op_of_launch(k)].
    void run_profiled(std::vector<double>& seconds);
    std::size_t launch_count() const { return launches_.size(); }
    /// Runs launch k alone (profiling tools).
    void run_launch(std::size_t k) { launches_[k](); }
    int op_of_launch(std::size_t k) const { return launch_ops_[k]; }

   private:
    friend class Program;
    std::shared_ptr<void> arena_;
    std::vector<void*> input_ptrs_, output_ptrs_;
    std::vector<std::function<void()>> launches_;
    std::vector<int> launch_ops_;
  };
  std::unique_ptr<Execution> make_execution() const;

  const Graph& graph() const { return graph_; }
  const std::vector<ValueId>& inputs() const { return inputs_; }
  const std::vector<ValueId>& outputs() const { return outputs_; }
  const ValueInfo& input_info(std::size_t i) const { return graph_.value(inputs_[i]); }
  const ValueInfo& output_info(std::size_t i) const { return graph_.value(outputs_[i]); }
  const MemoryPlan& memory_plan() const { return plan_; }
  /// Scheduled ops (indices into graph().ops()) and their kernels (null for aliases such as reshape).
  const std::vector<int>& schedule() const { return schedule_; }
  const Kernel* kernel(std::size_t step) const { return kernels_[step].get(); }
  /// Address of value v in an arena starting at `arena` (variables and constants: their own buffers).
  void* address(ValueId v, void* arena) const;

 private:
  Graph graph_;
  std::vector<ValueId> inputs_, outputs_;
  Backend& backend_;
  std::vector<int> schedule_;
  std::vector<std::unique_ptr<Kernel>> kernels_;
  std::vector<std::shared_ptr<void>> constants_;  // per value; device copies of constant tensors
  MemoryPlan plan_;
};

/// Removes ops whose results reach no output and have no side effect; returns the kept op indices
/// in order.
std::vector<int> live_ops(const Graph& graph, const std::vector<ValueId>& outputs);

}  // namespace strata
