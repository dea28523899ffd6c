#pragma once
#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>
#include <strata/api/variable.hpp>

namespace strata {

/// An optimizer's learning rate: a number, or a schedule of the step (`.learning_rate = 0.01` or
/// `.learning_rate = optimizers::schedules::ExponentialDecay(0.1, 1000, 0.96)`).
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}
  LearningRate(std::shared_ptr<optimizers::schedules::LearningRateSchedule> schedule)
      : schedule_(std::move(schedule)) {}
  template <class S>
    requires std::derived_from<S, optimizers::schedules::LearningRateSchedule>
  LearningRate(S schedule) : schedule_(std::make_shared<S>(std::move(schedule))) {}
  bool is_schedule() const { return schedule_ != nullptr; }
  double value() const { return value_; }
  const std::shared_ptr<optimizers::schedules::LearningRateSchedule>& schedule() const { return schedule_; }

 private:
  double value_ = 0;
  std::shared_ptr<optimizers::schedules::LearningRateSchedule> schedule_;
};

/// The arguments every Keras optimizer accepts besides its own. At most one of the clipping arguments may be set;
/// a value <= 0 disables it, as in Keras.
struct OptimizerCommonOptions {
  std::optional<double> weight_decay;     // decoupled: var -= var * weight_decay * lr before each update
  std::optional<double> clipnorm;         // each gradient's L2 norm at most this
  std::optional<double> clipvalue;        // each gradient element in [-clipvalue, clipvalue]
  std::optional<double> global_clipnorm;  // the L2 norm of all gradients together at most this
  bool use_ema = false;                   // keep an exponential moving average of every trained variable
  double ema_momentum = 0.99;             // average = m * average + (1 - m) * variable, after each step
  std::optional<int> ema_overwrite_frequency;     // every this many steps the variables take their averages
  std::optional<double> loss_scale_factor;        // loss * factor before the gradients, gradients / factor after
  std::optional<int> gradient_accumulation_steps; // apply the mean gradient every this many steps (>= 2)
};

/// Base of the optimizers: owns the learning rate and iteration count as variables (so callbacks
/// change them without recompiling), the per-variable slots, and emits the update ops into the step:
/// gradient clipping as graph ops, then one fused update per variable (weight decay included).
class Optimizer {
 public:
  Optimizer(std::string name, LearningRate learning_rate, OptimizerCommonOptions common = {});
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  virtual ~Optimizer() = default;
  /// Keras's name ("adam") and class name ("Adam").
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  /// Keras's config: name, learning_rate (a number or a serialized schedule), the common arguments, then the
  /// optimizer's own.
  virtual nlohmann::json get_config() const;

  /// Creates slot variables for `variables` (once per variable): EMA averages and gradient accumulators first,
  /// then the rule's slots, as Keras's build does.
  virtual void build(const std::vector<Variable*>& variables);
  /// Emits gradient unscaling, accumulation and clipping, one update per (variable, gradient), the EMA update and
  /// the iteration increment into the graph. A `gate` (float32 scalar) skips every write of the step where it is
  /// 0 (LossScaleOptimizer's non-finite steps).
  virtual void apply(Graph& graph, const std::vector<Variable*>& variables, const std::vector<Value>& gradients,
                     Value gate = {});
  /// Keras's scale_loss: the loss the gradients are taken of (loss * loss_scale_factor, or the dynamic scale).
  virtual Value scale_loss(Graph& graph, Value loss);
  /// Writes the schedule's rate for the coming step (from `iterations`) into the learning_rate variable; a no-op
  /// for a constant rate. fit and train_on_batch call it before every step; it does not allocate.
  virtual void prepare_step();

  /// The current learning rate: the variable, or the schedule at the current iterations.
  virtual double learning_rate() const;
  /// A number (ValueError if negative, or if the optimizer was made with a schedule, which Keras refuses too)
  /// or a schedule, which replaces the number.
  virtual void set_learning_rate(LearningRate value);
  virtual const std::shared_ptr<optimizers::schedules::LearningRateSchedule>& learning_rate_schedule() const {
    return schedule_;
  }
  /// Keras's optimizer.iterations: the update steps taken (with gradient accumulation, the stored count divided by
  /// the accumulation steps).
  virtual std::int64_t iterations() const;
  const OptimizerCommonOptions& common_options() const { return common_; }
  /// The optimizer that keeps the EMA (the inner one of a LossScaleOptimizer), or nullptr without use_ema.
  virtual Optimizer* ema_optimizer() { return common_.use_ema ? this : nullptr; }
  /// (variable, its moving average) for every variable the optimizer was built with (use_ema).
  std::vector<std::pair<Variable*, Variable*>> ema_variables() const;
  /// Keras's finalize_variable_values, which fit calls after its last epoch: with use_ema the variables take
  /// their moving averages.
  virtual void finalize_variable_values();
  /// Keras's exclude_from_weight_decay: variables in `variables`, or whose name matches one of the regular
  /// expressions in `var_names`, get no weight decay. Call before the first training step.
  void exclude_from_weight_decay(std::vector<const Variable*> variables = {}, std::vector<std::string> var_names = {});
  /// Keras's optimizer.variables: iterations, learning_rate (absent with a schedule, as in Keras), then every
  /// slot in Keras's build order, then the optimizer's own state (Nadam's u_product).
  virtual std::vector<Variable*> variables() const;

 protected:
  /// Slot variables this optimizer keeps per model variable (e.g. {"momentum", "velocity"}).
  virtual std::vector<std::string> slot_names() const = 0;
  /// The update rule's attributes.
  virtual OptimizerUpdateAttrs update_attrs() const = 0;
  /// Keras creates slots in groups, each over all variables (Adam: {momentum, velocity} per variable,
  /// then {velocity_hat}); variables() lists them in that order. Default: one group of slot_names().
  virtual std::vector<std::vector<std::string>> slot_groups() const { return {slot_names()}; }
  /// The value a new slot starts from (Adagrad's and Ftrl's accumulators start at initial_accumulator_value).
  virtual double slot_initial_value(const std::string& slot) const { return 0.0; }
  /// State of the optimizer itself, listed after the slots once built.
  virtual std::vector<Variable*> own_variables() const { return {}; }
  /// Ops run once per step before the updates; the values returned are the rule's extra scalar inputs.
  /// `step` is Keras's iterations as a float32 scalar; writes must carry `gate` (absent = always).
  virtual std::vector<Value> begin_step(Graph& graph, Value step, Value gate) { return {}; }
  /// A slot variable of `variable`: its name, path, shape and dtype.
  struct SlotSpec {
    std::string name, path;
    Shape shape;
    DType dtype = DType::float32;
    double initial = 0.0;
  };
  /// The slots of one model variable, in order; default: slot_names(), each shaped like the variable and named
  /// as Keras's add_variable_from_reference names them.
  virtual std::vector<SlotSpec> slot_specs(const Variable& variable) const;
  /// Adjusts the rule's attributes for one variable (Adafactor factors rank >= 2 variables).
  virtual void adjust_attrs(OptimizerUpdateAttrs& attrs, const Variable& variable) const {}
  bool built() const { return built_; }
  /// LossScaleOptimizer turns its inner optimizer's own loss scaling off, as Keras does.
  static void disable_loss_scale_factor(Optimizer& optimizer) { optimizer.common_.loss_scale_factor.reset(); }

 private:
  std::vector<Value> clip_gradients(Graph& graph, const std::vector<Value>& gradients) const;
  bool use_weight_decay(const Variable& variable) const;

  std::string name_;
  OptimizerCommonOptions common_;
  std::shared_ptr<optimizers::schedules::LearningRateSchedule> schedule_;
  std::unique_ptr<Variable> learning_rate_, iterations_;
  struct Slots {
    Variable* variable;
    std::vector<std::unique_ptr<Variable>> slots;
    std::unique_ptr<Variable> average, accumulator;  // use_ema; gradient_accumulation_steps
  };
  std::vector<Slots> slots_;
  bool built_ = false;
  std::vector<const Variable*> no_decay_variables_;
  std::vector<std::string> no_decay_names_;
};

/// An optimizer by Keras identifier ("sgd", "adam", "adamw", ...) or object.
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
/// A new optimizer with Keras's defaults from its class name, any case ("adam", "AdamW", "rmsprop").
std::shared_ptr<Optimizer> get(const std::string& identifier);

/// OptimizerCommonOptions of any optimizer's options struct.
template <class Options>
OptimizerCommonOptions common_arguments(const Options& o) {
  return {o.weight_decay,         o.clipnorm,         o.clipvalue,
          o.global_clipnorm,      o.use_ema,          o.ema_momentum,
          o.ema_overwrite_frequency, o.loss_scale_factor, o.gradient_accumulation_steps};
}
}  // namespace optimizers

}  // namespace strata
