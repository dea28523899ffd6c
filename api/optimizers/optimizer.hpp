#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>
#include <strata/api/variable.hpp>

namespace strata {

/// Base of the optimizers: owns the learning rate and iteration count as variables (so callbacks
/// change them without recompiling), the per-variable slots, and emits the update ops into the step.
class Optimizer {
 public:
  Optimizer(std::string name, double learning_rate);
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  virtual ~Optimizer() = default;
  /// Keras's name ("adam") and class name ("Adam").
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  virtual nlohmann::json get_config() const;

  /// Creates slot variables for `variables` (once per variable).
  void build(const std::vector<Variable*>& variables);
  /// Emits one update per (variable, gradient) and the iteration increment into the graph.
  void apply(Graph& graph, const std::vector<Variable*>& variables, const std::vector<Value>& gradients);

  double learning_rate() const { return learning_rate_->scalar(); }
  void set_learning_rate(double value);
  std::int64_t iterations() const { return static_cast<std::int64_t>(iterations_->scalar()); }
  /// Keras's optimizer.variables: iterations, learning_rate, then every slot in Keras's build order.
  std::vector<Variable*> variables() const;

 protected:
  /// Slot variables this optimizer keeps per model variable (e.g. {"momentum", "velocity"}).
  virtual std::vector<std::string> slot_names() const = 0;
  /// The update rule's attributes.
  virtual OptimizerUpdateAttrs update_attrs() const = 0;
  /// Keras creates slots in groups, each over all variables (Adam: {momentum, velocity} per variable,
  /// then {velocity_hat}); variables() lists them in that order. Default: one group of slot_names().
  virtual std::vector<std::vector<std::string>> slot_groups() const { return {slot_names()}; }

 private:
  std::string name_;
  std::unique_ptr<Variable> learning_rate_, iterations_;
  struct Slots {
    Variable* variable;
    std::vector<std::unique_ptr<Variable>> slots;
  };
  std::vector<Slots> slots_;
};

/// An optimizer by Keras identifier ("sgd", "adam", "rmsprop") or object.
class OptimizerArg {
 public:
  OptimizerArg(const char* identifier);
  OptimizerArg(const std::string& identifier);
  OptimizerArg(std::shared_ptr<Optimizer> optimizer) : optimizer_(std::move(optimizer)) {}
  template <class O>
    requires std::derived_from<O, Optimizer>
  OptimizerArg(O optimizer) : optimizer_(std::make_shared<O>(std::move(optimizer))) {}
  const std::shared_ptr<Optimizer>& get() const { return optimizer_; }

 private:
  std::shared_ptr<Optimizer> optimizer_;
};

namespace optimizers {
std::shared_ptr<Optimizer> get(const std::string& identifier);
}  // namespace optimizers

}  // namespace strata
