#pragma once
// The op graph (IR): values with concrete shapes, and the ops that produce them.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>
#include <strata/backends/ops/op_kind.hpp>

namespace strata {

class Variable;
class Graph;

using ValueId = std::int32_t;

enum class ValueKind : std::uint8_t { input, variable, constant, intermediate };

struct ValueInfo {
  Shape shape;
  DType dtype = DType::float32;
  ValueKind kind = ValueKind::intermediate;
  int producer = -1;                          // index of the producing op (intermediates)
  Variable* variable = nullptr;               // kind == variable
  std::shared_ptr<const Tensor> constant;     // kind == constant
  std::string name;
};

struct Op {
  OpKind kind;
  OpAttrs attrs;
  std::vector<ValueId> inputs;
  std::vector<ValueId> outputs;
  std::string layer;  // name of the layer that emitted it, for error messages
};

/// A handle to one value of a Graph: what a layer's call() receives and returns. Arithmetic
/// operators emit ops into the same graph.
class Value {
 public:
  Value() = default;
  Value(Graph* graph, ValueId id) : graph_(graph), id_(id) {}
  Graph& graph() const { return *graph_; }
  ValueId id() const { return id_; }
  const ValueInfo& info() const;
  /// A copy: graph values move as ops are added, so no reference into the graph outlives an add_op.
  Shape shape() const { return info().shape; }
  DType dtype() const { return info().dtype; }
  int ndim() const { return static_cast<int>(shape().size()); }
  std::int64_t dim(int axis) const;
  bool valid() const { return graph_ != nullptr; }

 private:
  Graph* graph_ = nullptr;
  ValueId id_ = -1;
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;

  Value add_input(Shape shape, DType dtype, std::string name);
  /// The same Variable always maps to the same value.
  Value add_variable(Variable& variable);
  Value add_constant(Tensor value, std::string name = "constant");
  Value scalar(float value) { return add_constant(Tensor(Shape{}, std::vector<float>{value}), "scalar"); }
  /// Appends an op after inferring its outputs' shapes; throws ShapeError naming `layer_scope()`.
  std::vector<Value> add_op(OpKind kind, OpAttrs attrs, std::vector<ValueId> inputs);

  const ValueInfo& value(ValueId id) const { return values_[id]; }
  ValueInfo& value(ValueId id) { return values_[id]; }
  const std::vector<ValueInfo>& values() const { return values_; }
  const std::vector<Op>& ops() const { return ops_; }
  std::vector<Op>& ops() { return ops_; }
  std::vector<ValueInfo>& values() { return values_; }

  /// The layer whose call() is emitting ops (set by tracing).
  const std::string& layer_scope() const { return layer_scope_; }
  void set_layer_scope(std::string name) { layer_scope_ = std::move(name); }

  /// Values that must be computed even though no output depends on them (side-effect ops).
  bool has_side_effect(const Op& op) const;

 private:
  std::vector<ValueInfo> values_;
  std::vector<Op> ops_;
  std::vector<std::pair<Variable*, ValueId>> variable_ids_;
  std::string layer_scope_;
};

/// Runs `f` with the graph's layer scope set to `name`, restoring it afterwards.
class LayerScope {
 public:
  LayerScope(Graph& graph, std::string name) : graph_(graph), saved_(graph.layer_scope()) {
    graph_.set_layer_scope(std::move(name));
  }
  ~LayerScope() { graph_.set_layer_scope(saved_); }

 private:
  Graph& graph_;
  std::string saved_;
};

}  // namespace strata
