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

namespace strata {

class Callback;
class History;
class TrainingEngine;

struct CompileOptions {
  OptimizerArg optimizer = "rmsprop";
  Losses loss;
  std::vector<float> loss_weights;  // one per output; empty = all 1
  std::vector<MetricArg> metrics;   // applied to every output
};

struct FitOptions {
  std::int64_t batch_size = 32;
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<std::shared_ptr<Callback>> callbacks;
  float validation_split = 0;  // fraction of the last samples held out, before shuffling (as Keras)
  std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> validation_data;
  bool shuffle = true;
  int initial_epoch = 0;
};

struct EvaluateOptions {
  std::int64_t batch_size = 32;
  int verbose = 1;
  std::vector<std::shared_ptr<Callback>> callbacks;
};

struct PredictOptions {
  std::int64_t batch_size = 32;
  int verbose = 0;
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

  std::map<std::string, double> train_on_batch(const Tensor& x, const Tensor& y);
  std::map<std::string, double> train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y);
  std::map<std::string, double> test_on_batch(const Tensor& x, const Tensor& y);
  std::map<std::string, double> test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y);
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

  // Layer interface
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  void set_trainable(bool trainable) override;

 protected:
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
  std::shared_ptr<Optimizer> optimizer_;
  std::unique_ptr<TrainingEngine> engine_;
};

}  // namespace strata
