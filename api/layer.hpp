#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/constraints/constraint.hpp>
#include <strata/api/graph/graph.hpp>
#include <strata/api/regularizers/regularizer.hpp>
#include <strata/api/symbolic_tensor.hpp>
#include <strata/api/tensor.hpp>
#include <strata/api/variable.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

class Initializer;

/// What a layer's call() sees besides its inputs: the graph being traced and the training flag.
struct CallContext {
  Graph& graph;
  bool training = false;
  /// The graph value of a variable (the same value on every read).
  Value variable(Variable& v) const { return graph.add_variable(v); }
  /// Scalar terms layers add to the training loss (Keras's add_loss, e.g. activity regularization).
  std::vector<Value> losses;
  void add_loss(Value loss) { losses.push_back(loss); }
};

/// Base of every layer. A layer holds its config and Variables; build() creates the Variables from
/// the input shape; call() composes ops and computes nothing itself. Call a layer on SymbolicTensors
/// to build a model graph, or on a Tensor to run it at once.
///
/// A layer called on symbolic tensors must be shared-owned, so graphs can keep it: call it as a
/// temporary (`layers::Dense(64)(x)`), or own it with `strata::share(...)` to call it again.
class Layer : public std::enable_shared_from_this<Layer> {
 public:
  explicit Layer(std::string name = "", Shape input_shape = {});
  Layer(Layer&&) = default;
  Layer& operator=(Layer&&) = default;
  virtual ~Layer();

  /// Keras class name, e.g. "Dense"; STRATA_LAYER defines it.
  virtual std::string class_name() const = 0;
  /// Moves the layer into a shared_ptr of its own type; STRATA_LAYER defines it.
  virtual std::shared_ptr<Layer> move_to_shared() && = 0;

  /// Unique name, by default the snake_case class name with a counter ("dense", "dense_1").
  const std::string& name() const;

  SymbolicTensor operator()(const SymbolicTensor& x) &;
  SymbolicTensor operator()(const SymbolicTensor& x) &&;
  std::vector<SymbolicTensor> operator()(const std::vector<SymbolicTensor>& xs) &;
  std::vector<SymbolicTensor> operator()(const std::vector<SymbolicTensor>& xs) &&;
  /// Eager call: runs the layer on concrete data through a cached program.
  Tensor operator()(const Tensor& x, bool training = false) &;
  std::vector<Tensor> operator()(const std::vector<Tensor>& xs, bool training = false) &;

  // ---- what a subclass implements --------------------------------------------------------------
  /// Creates the Variables for these input shapes (batch dim -1). Multi-input layers override this one.
  virtual void build(const std::vector<Shape>& input_shapes);
  /// Single-input layers override this one.
  virtual void build(const Shape& input_shape) {}
  /// Multi-input/output layers override this one.
  virtual std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx);
  /// Single-input, single-output layers override this one.
  virtual Value call(Value x, CallContext& ctx);
  /// Keras config keys (name, trainable, dtype, plus the layer's own).
  virtual nlohmann::json get_config() const;
  /// Layers nested inside this one (a Model's layers); their Variables are this layer's too.
  virtual std::vector<std::shared_ptr<Layer>> sublayers() const { return {}; }

  // ---- state -------------------------------------------------------------------------------------
  bool built() const { return built_; }
  /// Builds the layer for these shapes once; a later call with an incompatible shape fails in call().
  void ensure_built(const std::vector<Shape>& input_shapes);
  bool trainable() const { return trainable_; }
  virtual void set_trainable(bool trainable);
  /// Variables in Keras's get_weights() order: own variables in creation order, then sublayers'.
  std::vector<Variable*> weights() const;
  std::vector<Variable*> trainable_weights() const;
  std::vector<Variable*> non_trainable_weights() const;
  std::vector<Tensor> get_weights() const;
  /// Non-weight state (seed generator states, counters): own in creation order, then sublayers'.
  std::vector<Variable*> states() const;
  /// Assigns in weights() order; counts and shapes must match (ValueError/ShapeError naming the layer).
  void set_weights(const std::vector<Tensor>& values);
  std::int64_t count_params() const;
  /// Output shapes for these input shapes, found by tracing call() (-1 dims stay -1).
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes);
  /// Per-sample input shape given at construction (Keras's input_shape), if any.
  const Shape& input_shape_hint() const { return input_shape_; }
  /// Nodes this layer was called at (for the summary's Connected to).
  int node_count() const { return node_count_; }
  /// Keras's layer.activity_regularizer: a penalty on each output, divided by the batch size, added to the
  /// training loss where the layer is called in a model. Every layer has it, as in Keras.
  const std::optional<Regularizer>& activity_regularizer() const { return activity_regularizer_; }
  void set_activity_regularizer(std::optional<Regularizer> regularizer) { activity_regularizer_ = std::move(regularizer); }
  /// Adds the activity regularizer's penalty on `outputs` to ctx's losses (Model::call does this per node).
  void add_activity_loss(const std::vector<Value>& outputs, CallContext& ctx) const;

  /// "base", then "base_1", "base_2", ... process-wide, as Keras names layers (keras.utils's auto_name).
  static std::string unique_name(const std::string& base);

 protected:
  /// Creates a Variable owned by this layer, path "<layer>/<name>".
  Variable& add_weight(const std::string& name, const Shape& shape, const Initializer& initializer,
                       bool trainable = true, DType dtype = DType::float32);
  /// The same, with Keras's per-weight regularizer (its penalty joins the loss) and constraint (applied after
  /// each optimizer update); unset ones are none.
  Variable& add_weight(const std::string& name, const Shape& shape, const Initializer& initializer,
                       const std::optional<Regularizer>& regularizer, const std::optional<Constraint>& constraint,
                       bool trainable = true);
  /// Layer state that is not a weight (seed generator state, counters): not in weights().
  Variable& add_state(const std::string& name, const Shape& shape, DType dtype);
  void set_name(std::string name) { name_ = std::move(name); }
  /// "Layer 'dense_1' (Dense): " — the prefix of every error this layer raises.
  std::string where() const;

 private:
  friend class Model;
  std::vector<SymbolicTensor> call_symbolic(std::shared_ptr<Layer> self, const std::vector<SymbolicTensor>& xs);
  std::shared_ptr<Layer> shared_self(const char* what);

  mutable std::string name_;
  Shape input_shape_;
  bool built_ = false;
  bool trainable_ = true;
  int node_count_ = 0;
  std::optional<Regularizer> activity_regularizer_;
  std::vector<std::unique_ptr<Variable>> variables_;
  std::vector<std::unique_ptr<Variable>> states_;
  struct EagerCache;
  std::shared_ptr<EagerCache> eager_;
};

/// Declares a layer's Keras class name and lets temporaries of it be moved into graphs.
#define STRATA_LAYER(ClassName)                                                              \
  std::string class_name() const override { return #ClassName; }                            \
  std::shared_ptr<::strata::Layer> move_to_shared() && override {                            \
    return std::make_shared<ClassName>(std::move(*this));                                   \
  }

/// Keras's to_snake_case: "BatchNormalization" -> "batch_normalization", "Conv2D" -> "conv2d".
std::string to_snake_case(const std::string& name);

/// Moves a layer into shared ownership so it can be called several times (a shared layer).
template <class L>
std::shared_ptr<std::remove_cvref_t<L>> share(L&& layer) {
  return std::static_pointer_cast<std::remove_cvref_t<L>>(std::move(layer).move_to_shared());
}

}  // namespace strata
