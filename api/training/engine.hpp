#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <strata/api/graph/program.hpp>
#include <strata/api/model.hpp>
#include <strata/callbacks/callback.hpp>

namespace strata {

/// What compile() sets up and fit/evaluate/predict run: one Program per (mode, data signature),
/// prepared once and reused for every batch of that shape.
class TrainingEngine {
 public:
  enum class Mode { train, test, predict };

  /// A compiled step: the program, the log name of each output, and a pool of executions so
  /// concurrent predict calls each get their own arena.
  struct Step {
    Mode mode;
    std::unique_ptr<Program> program;
    std::size_t n_x = 0, n_y = 0;
    /// Where a log entry comes from: a loss (one scalar output, averaged over samples) when `metric` is null,
    /// else the metric's state additions (outputs [first_output, first_output + n_outputs)).
    struct LogSource {
      std::shared_ptr<Metric> metric;
      std::size_t first_output = 0, n_outputs = 1;
    };
    std::vector<std::string> log_names;    // train/test: the logged names, in Keras's order
    std::vector<LogSource> log_sources;    // parallel to log_names
    std::unique_ptr<Program::Execution> acquire();
    void release(std::unique_ptr<Program::Execution> execution);

   private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<Program::Execution>> idle_;
  };

  explicit TrainingEngine(Model* model) : model_(model) {}
  void set_model(Model* model) { model_ = model; }
  void compile(CompileOptions options);
  /// Drops every compiled step (the layer graph changed, e.g. Sequential::pop).
  void invalidate();
  bool optimizer_built() const { return optimizer_built_; }
  /// Whether compile() found the model's outputs (a Sequential without an Input has none until it is built).
  bool has_losses() const { return !losses_.empty(); }

  std::shared_ptr<History> fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y, FitOptions options);
  Logs evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y, EvaluateOptions options);
  std::vector<Tensor> predict(const std::vector<Tensor>& x, PredictOptions options);
  std::shared_ptr<History> fit(const datasets::Dataset& data, FitOptions options);
  Logs evaluate(const datasets::Dataset& data, EvaluateOptions options);
  std::vector<Tensor> predict(const datasets::Dataset& data, PredictOptions options);
  Logs train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                      const std::optional<Tensor>& sample_weight);
  Logs test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                     const std::optional<Tensor>& sample_weight);
  std::vector<Tensor> predict_on_batch(const std::vector<Tensor>& x);

  /// The compiled step for `batch` samples of data shaped like x and y (built on first use).
  Step& step(Mode mode, const std::vector<Tensor>& x, const std::vector<Tensor>& y, std::int64_t batch);
  /// Copies rows `indices` of each x (and y) into the execution's inputs, converting dtypes.
  static void feed(const Step& step, Program::Execution& execution, const std::vector<Tensor>& x,
                   const std::vector<Tensor>& y, const std::int64_t* indices, std::int64_t count);

 private:
  std::unique_ptr<Step> build_step(Mode mode, const std::vector<Shape>& x_shapes, const std::vector<Shape>& y_shapes);
  void require_compiled(const char* what) const;
  std::int64_t check_data(const std::vector<Tensor>& x, const std::vector<Tensor>* y) const;
  /// Runs the test loop over rows [begin, end) of x/y; logs are the means over samples.
  Logs run_test(const std::vector<Tensor>& x, const std::vector<Tensor>& y, std::int64_t begin, std::int64_t end,
                std::int64_t batch_size, std::vector<std::shared_ptr<Callback>>* callbacks);

  class EpochIterator;
  class BatchFeeder;
  /// Runs the test loop over one epoch of `batches`; logs are the means over samples.
  Logs run_test(EpochIterator& batches, std::vector<std::shared_ptr<Callback>>* callbacks);

  Model* model_;
  std::vector<std::shared_ptr<Loss>> losses_;         // one per output
  std::vector<float> loss_weights_;
  std::vector<std::vector<MetricArg>> metric_args_;  // per output
  std::vector<std::vector<MetricArg>> weighted_metric_args_;  // per output
  std::vector<std::vector<std::shared_ptr<Metric>>> metrics_;  // per output, resolved at the first step
  std::vector<std::vector<std::shared_ptr<Metric>>> weighted_metrics_;
  bool optimizer_built_ = false;
  std::mutex steps_mutex_;
  std::map<std::vector<std::int64_t>, std::unique_ptr<Step>> steps_;
};

}  // namespace strata
