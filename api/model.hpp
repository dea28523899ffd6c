#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/api/layer.hpp>
#include <strata/api/losses/loss.hpp>
#include <strata/api/metrics/metric.hpp>
#include <strata/api/optimizers/optimizer.hpp>
#include <strata/datasets/dataset.hpp>

namespace strata {

class Callback;
class History;
class TrainingEngine;

struct CompileOptions {
  OptimizerArg optimizer = "rmsprop";
  Losses loss;
  std::vector<float> loss_weights;  // one per output; empty = all 1
  std::vector<MetricArg> metrics;   // applied to every output
  /// One metric list per output (Keras's list-of-lists form); when given, it replaces `metrics`.
  std::vector<std::vector<MetricArg>> output_metrics;
  /// Metrics weighted by fit/evaluate's sample_weight (or class_weight), applied to every output.
  std::vector<MetricArg> weighted_metrics;
};

/// fit's validation_data: (x, y) tensors, or a Dataset of (x, y) batches.
struct ValidationData {
  ValidationData(std::pair<std::vector<Tensor>, std::vector<Tensor>> xy)
      : x(std::move(xy.first)), y(std::move(xy.second)) {}
  ValidationData(std::pair<Tensor, Tensor> xy) : x{std::move(xy.first)}, y{std::move(xy.second)} {}
  ValidationData(datasets::Dataset data) : dataset(std::move(data)) {}
  std::vector<Tensor> x, y;
  std::optional<datasets::Dataset> dataset;
};

struct FitOptions {
  /// Samples per step for tensor data (unset: 32). Must stay unset with a Dataset, whose elements are batches.
  std::optional<std::int64_t> batch_size;
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<std::shared_ptr<Callback>> callbacks;
  float validation_split = 0;  // fraction of the last samples held out, before shuffling (as Keras)
  std::optional<ValidationData> validation_data;
  bool shuffle = true;  // tensor data only: a Dataset is expected to be shuffled already (Dataset::shuffle)
  int initial_epoch = 0;
  /// Dataset only: batches per epoch; the dataset's iterator then persists across epochs (Keras 3). Unset: one
  /// full pass per epoch.
  std::optional<std::int64_t> steps_per_epoch;
  /// Validation batches drawn per epoch from a validation Dataset (whose iterator persists across epochs).
  std::optional<std::int64_t> validation_steps;
  /// Keras's sample_weight: (N,) one weight per sample, or (N, ...) the shape of the per-sample loss values;
  /// the same array weights every output's loss. Held out with validation_split like x and y.
  std::optional<Tensor> sample_weight;
  /// Keras's class_weight: {class index: weight} turned into a sample weight from y (integer labels, or the
  /// argmax of one-hot rows); classes not listed weigh 1. Single-output models; not with sample_weight.
  std::map<int, double> class_weight;
};

struct EvaluateOptions {
  std::optional<std::int64_t> batch_size;  // tensor data only (unset: 32)
  int verbose = 1;
  std::vector<std::shared_ptr<Callback>> callbacks;
  std::optional<std::int64_t> steps;  // Dataset only: batches to evaluate; unset: the whole dataset
  std::optional<Tensor> sample_weight;  // as FitOptions::sample_weight
};

struct PredictOptions {
  std::optional<std::int64_t> batch_size;  // tensor data only (unset: 32)
  int verbose = 0;
  std::optional<std::int64_t> steps;  // Dataset only: batches to predict; unset: the whole dataset
};

/// Whose config format a file is written in: Keras 3's (the default), or tf.keras 2's, for TensorFlow 2 users.
enum class KerasDialect { keras3, keras2 };

/// model.save(path, ...): the suffix picks the format (".h5"/".hdf5": Keras's legacy HDF5 file).
struct SaveOptions {
  bool overwrite = true;          // false: ValueError if the file exists
  bool include_optimizer = true;  // write training_config and optimizer_weights when compiled
  /// keras2: a .h5 that tf.keras 2 loads (Keras 2 config and weight names; no optimizer state, as tf.keras 2.11+
  /// optimizers keep their variables in another order). .h5 only.
  KerasDialect dialect = KerasDialect::keras3;
};

/// model.load_weights(path, ...), with Keras's matching rules (docs/saving.md).
struct LoadWeightsOptions {
  bool by_name = false;        // legacy .h5 only: match layers by name instead of by order
  bool skip_mismatch = false;  // with by_name: skip layers whose weight count or shapes differ
};

/// A functional model: a graph of layers from `inputs` to `outputs` (keras.Model). Also a Layer, so
/// models nest. compile() then fit()/evaluate()/predict() run through Programs prepared per input
/// signature.
class Model : public Layer {
 public:
  STRATA_LAYER(Model)
  Model(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs, std::string name = "");
  Model(SymbolicTensor input, SymbolicTensor output, std::string name = "");
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model() override;

  const std::vector<SymbolicTensor>& inputs() const { return inputs_; }
  const std::vector<SymbolicTensor>& outputs() const { return outputs_; }
  /// ShapeError in Keras's words unless `shape` fits input i; the batch dim is checked when `with_batch`.
  void check_input_shape(std::size_t i, const Shape& shape, bool with_batch = true) const;
  /// Layers in topological order (InputLayers included for functional models, as Keras).
  virtual std::vector<std::shared_ptr<Layer>> layers() const;
  std::shared_ptr<Layer> get_layer(const std::string& name) const;
  std::vector<std::shared_ptr<Layer>> sublayers() const override { return layers(); }

  void compile(CompileOptions options);
  bool compiled() const { return compiled_; }

  std::shared_ptr<History> fit(const Tensor& x, const Tensor& y, FitOptions options = {});
  std::shared_ptr<History> fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y, FitOptions options = {});
  /// Loss and metrics over the data: {"loss": ..., "accuracy": ...}.
  std::map<std::string, double> evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options = {});
  std::map<std::string, double> evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                         EvaluateOptions options = {});
  /// Outputs for any number of samples, batched internally. Safe to call from several threads at once.
  Tensor predict(const Tensor& x, PredictOptions options = {});
  std::vector<Tensor> predict(const std::vector<Tensor>& x, PredictOptions options = {});

  /// fit/evaluate/predict on a Dataset whose elements are batches: (x..., y...) with one tensor per model input
  /// and output (predict reads the first x...). Keras's semantics for epochs, steps_per_epoch and validation_steps
  /// (docs/training.md).
  std::shared_ptr<History> fit(const datasets::Dataset& data, FitOptions options = {});
  std::map<std::string, double> evaluate(const datasets::Dataset& data, EvaluateOptions options = {});
  /// One tensor per model output, the batches' rows concatenated.
  std::vector<Tensor> predict(const datasets::Dataset& data, PredictOptions options = {});

  std::map<std::string, double> train_on_batch(const Tensor& x, const Tensor& y,
                                               const std::optional<Tensor>& sample_weight = {});
  std::map<std::string, double> train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                               const std::optional<Tensor>& sample_weight = {});
  std::map<std::string, double> test_on_batch(const Tensor& x, const Tensor& y,
                                              const std::optional<Tensor>& sample_weight = {});
  std::map<std::string, double> test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                              const std::optional<Tensor>& sample_weight = {});
  Tensor predict_on_batch(const Tensor& x);
  std::vector<Tensor> predict_on_batch(const std::vector<Tensor>& x);

  /// Keras 3's summary table.
  std::string summary_string(int line_length = -1) const;
  /// A single chain of single-input nodes with no shared layer (Keras's summary shows no Connected to).
  bool is_sequential_like() const;
  void summary(int line_length = -1) const;

  /// Set by a callback to end fit() after the current batch/epoch.
  bool stop_training = false;
  std::shared_ptr<History> history;
  std::shared_ptr<Optimizer> optimizer() const { return optimizer_; }
  /// The engine that owns the compiled programs (advanced: benchmarks and profiling tools).
  TrainingEngine& engine();

  // ---- saving (api/saving, docs/saving.md) -------------------------------------------------------
  /// Writes the whole model: config, weights and, when compiled, the compile arguments and optimizer
  /// state. ".h5"/".hdf5": Keras's legacy HDF5 format. The file is written under a temporary name in
  /// the same directory and renamed, so a failure never leaves a partial file under `path`.
  void save(const std::string& path, SaveOptions options = {}) const;
  /// ".weights.h5": Keras 3's weights file (layers by class-name keys, plus the optimizer when built);
  /// ".h5"/".hdf5": the legacy weights-only layout (as Keras 2's save_weights).
  void save_weights(const std::string& path) const;
  /// Reads either weights layout, or the weights of a whole-model .h5 file.
  void load_weights(const std::string& path, LoadWeightsOptions options = {});
  /// Keras 3's model.to_json(): {"module", "class_name", "config", "registered_name", "build_config",
  /// "compile_config"}; indent < 0 gives one line. KerasDialect::keras2 writes tf.keras 2's to_json()
  /// ({"class_name", "config", "keras_version", "backend"}).
  std::string to_json(int indent = -1, KerasDialect dialect = KerasDialect::keras3) const;
  /// What compile() was given; empty before compile().
  const std::optional<CompileOptions>& compile_options() const { return compile_options_; }
  /// Creates the optimizer's slot variables for the trainable weights now rather than at the first
  /// training step (Keras's model.optimizer.build(model.trainable_variables)), e.g. to restore saved
  /// optimizer state into them. ValueError if the model is not compiled.
  void build_optimizer();

  // Layer interface
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  /// Keras 3's functional config: name, trainable, layers (each with name, inbound_nodes and
  /// build_config), input_layers, output_layers.
  nlohmann::json get_config() const override;
  /// A functional model from its config, in the Keras 3 (args/kwargs nodes) or Keras 2 (list-form
  /// nodes) dialect; layers are created through the registry (api/saving/registry.hpp).
  static std::shared_ptr<Model> from_config(const nlohmann::json& config);
  void set_trainable(bool trainable) override;

 protected:
  /// Keras's build_config of a layer of this model: {"input_shape": ...} of its first call here.
  nlohmann::json build_config_of(const Layer& layer) const;
  Model();  // for Sequential, which builds its graph later
  void set_graph(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs);
  /// Makes sure the layer graph exists for inputs like `x` (Sequential builds it lazily).
  virtual void ensure_graph(const std::vector<Tensor>& x);

 private:
  friend class TrainingEngine;
  std::vector<SymbolicTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<Node>> nodes_;  // topological order, InputLayer nodes excluded
  std::vector<std::shared_ptr<Layer>> layers_;
  bool compiled_ = false;
  std::optional<CompileOptions> compile_options_;
  bool optimizer_built_ = false;  // by build_optimizer(); a training step builds it through the engine
  std::shared_ptr<Optimizer> optimizer_;
  std::unique_ptr<TrainingEngine> engine_;
};

}  // namespace strata
