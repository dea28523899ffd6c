#include <strata/api/training/engine.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <numeric>
#include <tuple>

#include <spdlog/spdlog.h>

#include <strata/api/constraints/constraint.hpp>
#include <strata/api/graph/autodiff.hpp>
#include <strata/api/regularizers/regularizer.hpp>
#include <strata/api/random.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/random.hpp>
#include <strata/callbacks/history.hpp>
#include <strata/callbacks/progbar_logger.hpp>

namespace strata {

namespace {

/// Running mean of per-sample values, weighted by batch size (Keras's Mean metric).
struct Mean {
  double total = 0, count = 0;
  void reset() { total = count = 0; }
  void add(double batch_mean, double n) {
    total += batch_mean * n;
    count += n;
  }
  double result() const { return count > 0 ? total / count : 0.0; }
};

/// A running mean that already holds `rows` samples averaging `mean` (a resumed epoch's batches).
Mean restored_mean(double mean, double rows) {
  Mean m;
  m.add(mean, rows);
  return m;
}

Shape batch_shape(const Tensor& t, std::int64_t batch) {
  Shape s = t.shape();
  s[0] = batch;
  return s;
}

/// Reads scalar output i of an execution.
double read_scalar(Backend& be, const Program::Execution& e, std::size_t i) {
  float v = 0;
  be.copy_to_host(&v, e.output(i), sizeof(float));
  return v;
}

/// Turns each step's outputs into logs: a loss as its running mean over samples, a metric through its state.
/// Buffers grow on the first steps only; a reset takes effect at the next step (whose metrics it then knows).
class StepLogs {
 public:
  void reset() { pending_reset_ = true; }
  void add(Backend& be, const TrainingEngine::Step& step, const Program::Execution& e, std::int64_t count,
           Logs& logs) {
    begin(step);
    for (std::size_t i = 0; i < step.log_sources.size(); ++i) {
      const auto& source = step.log_sources[i];
      double value;
      if (!source.metric) {
        loss_means_[i].add(read_scalar(be, e, source.first_output), static_cast<double>(count));
        value = loss_means_[i].result();
      } else {
        if (additions_.size() < source.metric->state_size()) additions_.resize(source.metric->state_size());
        std::size_t at = 0;
        for (std::size_t k = source.first_output; k < source.first_output + source.n_outputs; ++k) {
          const auto n = static_cast<std::size_t>(num_elements(step.program->output_info(k).shape));  // float32
          be.copy_to_host(additions_.data() + at, e.output(k), n * sizeof(float));
          at += n;
        }
        source.metric->accumulate({additions_.data(), at});
        value = source.metric->result();
      }
      logs[step.log_names[i]] = value;
    }
  }
  /// Resumes an epoch after `rows` samples whose running values were `logs` (BackupAndRestore): the losses and
  /// mean metrics exactly; other metrics' state is not in the logs, so they count from the resumed batch on.
  void restore(const TrainingEngine::Step& step, const Logs& logs, double rows) {
    begin(step);
    for (std::size_t i = 0; i < step.log_sources.size(); ++i) {
      auto it = logs.find(step.log_names[i]);
      if (it == logs.end()) continue;
      const auto& source = step.log_sources[i];
      if (!source.metric) loss_means_[i] = restored_mean(it->second, rows);
      else if (auto* mean = dynamic_cast<MeanMetricWrapper*>(source.metric.get())) mean->restore(it->second, rows);
    }
  }

 private:
  void begin(const TrainingEngine::Step& step) {
    if (loss_means_.size() < step.log_sources.size()) loss_means_.resize(step.log_sources.size());
    if (pending_reset_) {
      for (auto& m : loss_means_) m.reset();
      for (const auto& source : step.log_sources)
        if (source.metric) source.metric->reset_state();
      pending_reset_ = false;
    }
  }

  bool pending_reset_ = true;
  std::vector<Mean> loss_means_;
  std::vector<float> additions_;
};

/// Keras adds a ProgbarLogger when verbose, unless the caller passed one.
void add_progbar_logger(std::vector<std::shared_ptr<Callback>>& callbacks, int verbose) {
  if (!verbose) return;
  for (const auto& cb : callbacks)
    if (dynamic_cast<ProgbarLogger*>(cb.get())) return;
  callbacks.push_back(std::make_shared<ProgbarLogger>());
}

template <class F>
void for_each_callback(std::vector<std::shared_ptr<Callback>>* callbacks, F&& f) {
  if (!callbacks) return;
  for (auto& cb : *callbacks) f(*cb);
}

/// "x0", "y1", ...: a Program input's name. Out of line: inlined "x" + std::to_string(i) trips GCC 12's -Wrestrict.
[[gnu::noinline]] std::string input_name(char prefix, std::size_t i) {
  std::string name(1, prefix);
  name += std::to_string(i);
  return name;
}

/// The resume point a callback (BackupAndRestore) restored in on_train_begin, if any; the last one wins.
std::optional<ResumePoint> resume_point(const std::vector<std::shared_ptr<Callback>>& callbacks) {
  std::optional<ResumePoint> point;
  for (const auto& cb : callbacks)
    if (auto p = cb->resume_point()) point = std::move(p);
  return point;
}

/// Keras's class_weight_to_sample_weights: the weight of each row's class (y's integer label, or its argmax
/// when y has a last axis wider than 1, rounded), 1 for classes not in the map.
Tensor class_weight_to_sample_weight(const Tensor& y, const std::map<int, double>& class_weight) {
  Tensor labels = y.astype(DType::float32);
  const std::int64_t n = labels.shape()[0];
  const std::int64_t width = n ? labels.size() / n : 1;
  const bool one_hot = labels.ndim() > 1 && labels.shape().back() != 1;
  if (labels.ndim() > 2 || (labels.ndim() == 2 && !one_hot && width != 1))
    throw ValueError("class_weight: y must be integer labels (N,) / (N, 1) or one-hot (N, classes); got shape " +
                     shape_str(labels.shape()));
  Tensor weights(Shape{n});
  auto v = labels.values<float>();
  auto w = weights.values<float>();
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = v.data() + i * width;
    int label = one_hot ? static_cast<int>(std::max_element(row, row + width) - row)
                        : static_cast<int>(std::nearbyint(row[0]));
    auto it = class_weight.find(label);
    w[static_cast<std::size_t>(i)] = it == class_weight.end() ? 1.0f : static_cast<float>(it->second);
  }
  return weights;
}

/// y with the sample weight appended: the step feeds it like a target and weights every output's loss by it.
std::vector<Tensor> with_sample_weight(const std::vector<Tensor>& y, const std::optional<Tensor>& sample_weight,
                                       std::int64_t n, const char* what) {
  if (!sample_weight) return y;
  if (sample_weight->ndim() == 0 || sample_weight->shape()[0] != n)
    throw ValueError(std::string(what) + ": sample_weight must have one row per sample (" + std::to_string(n) +
                     "), got shape " + shape_str(sample_weight->shape()));
  if (y.size() > 1 && sample_weight->size() != n)
    throw ValueError(std::string(what) + ": For a model with multiple outputs, when providing a single "
                     "`sample_weight` array, it should only have one scalar score per sample (i.e. shape "
                     "`(num_samples,)`). Got shape " + shape_str(sample_weight->shape()));
  std::vector<Tensor> out = y;
  out.push_back(sample_weight->astype(DType::float32));
  return out;
}

}  // namespace

/// Keras 3's EpochIterator over a Dataset of batches. Without steps_per_epoch every epoch is one fresh pass. With
/// it, the iterator persists across epochs; when the data runs out (or the known number of batches is used up)
/// the epoch ends early with Keras's warning, and the next epoch starts a fresh pass.
class TrainingEngine::EpochIterator {
 public:
  EpochIterator(datasets::Dataset data, std::optional<std::int64_t> steps_per_epoch, const char* what)
      : data_(std::move(data)), steps_per_epoch_(steps_per_epoch) {
    if (steps_per_epoch_ && *steps_per_epoch_ < 1)
      throw ValueError(std::string(what) + ": steps must be a positive integer, got " + std::to_string(*steps_per_epoch_));
    std::int64_t n = data_.cardinality();
    if (n == datasets::INFINITE_CARDINALITY && !steps_per_epoch_)
      throw ValueError(std::string(what) +
                       ": When providing an infinite dataset, you must specify the number of steps to run (if you "
                       "did not intend to create an infinite dataset, make sure to not call `repeat()` on the "
                       "dataset).");
    if (n >= 0) num_batches_ = n;
  }
  /// Batches in an epoch when known (for the progress bar).
  std::int64_t steps() const { return steps_per_epoch_ ? *steps_per_epoch_ : num_batches_.value_or(0); }

  void begin_epoch() {
    step_ = 0;
    if (!current_ || !steps_per_epoch_) {
      current_.emplace(data_.iterator());
      steps_seen_ = 0;
    }
  }
  /// The next batch of this epoch; nullopt ends the epoch. Exceptions of the pipeline pass through.
  std::optional<datasets::Element> next() {
    if (steps_per_epoch_) {
      if (step_ >= *steps_per_epoch_) return std::nullopt;
      if (num_batches_ && steps_seen_ >= *num_batches_) {
        ran_out();
        return std::nullopt;
      }
    }
    std::optional<datasets::Element> batch = current_->next();
    if (!batch) {
      if (!num_batches_) num_batches_ = steps_seen_;
      if (steps_per_epoch_) ran_out();
      current_.reset();
      return std::nullopt;
    }
    ++step_;
    ++steps_seen_;
    return batch;
  }
  void end_epoch() {
    if (!steps_per_epoch_ || (num_batches_ && steps_seen_ >= *num_batches_)) current_.reset();
  }

 private:
  static void ran_out() {
    spdlog::warn(
        "Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate "
        "at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building "
        "your dataset.");
  }
  datasets::Dataset data_;
  std::optional<std::int64_t> steps_per_epoch_, num_batches_;
  std::optional<datasets::Iterator> current_;
  std::int64_t step_ = 0, steps_seen_ = 0;
};

/// Splits dataset batches into model inputs and targets and feeds them to the Step for their shapes. Steps are
/// looked up only when the shapes change (the last partial batch), so the step loop allocates nothing here.
class TrainingEngine::BatchFeeder {
 public:
  BatchFeeder(TrainingEngine& engine, Mode mode, const char* what) : engine_(engine), mode_(mode), what_(what) {}
  ~BatchFeeder() {
    for (auto& e : entries_) e.step->release(std::move(e.execution));
  }
  BatchFeeder(const BatchFeeder&) = delete;
  BatchFeeder& operator=(const BatchFeeder&) = delete;

  /// Uploads `batch` (moved from) into the execution of its step; returns them and the batch's row count.
  std::tuple<Step&, Program::Execution&, std::int64_t> feed(datasets::Element&& batch) {
    if (!n_x_) split_arity(batch);
    if (batch.size() != expected_ && !(mode_ == Mode::predict && batch.size() >= expected_)) bad_arity(batch.size());
    x_.clear();
    y_.clear();
    for (std::size_t i = 0; i < *n_x_; ++i) x_.push_back(std::move(batch[i]));
    if (mode_ != Mode::predict)
      for (std::size_t j = 0; j < n_y_ + (weighted_ ? 1 : 0); ++j) y_.push_back(std::move(batch[*n_x_ + j]));
    Entry* entry = find();
    if (!entry) entry = &add();
    const std::int64_t rows = x_[0].shape()[0];
    TrainingEngine::feed(*entry->step, *entry->execution, x_, y_, rows_.data(), rows);
    return {*entry->step, *entry->execution, rows};
  }
  const std::vector<std::string>& log_names() const { return entries_.front().step->log_names; }

 private:
  struct Entry {
    Step* step;
    std::unique_ptr<Program::Execution> execution;
    std::vector<Shape> shapes;
    std::vector<DType> dtypes;
  };

  void split_arity(const datasets::Element& first) {
    if (first.empty()) throw ValueError(std::string(what_) + ": the dataset's elements have no components");
    if (engine_.model_->inputs().empty()) engine_.model_->ensure_graph({first[0]});
    n_x_ = engine_.model_->inputs().size();
    n_y_ = engine_.model_->outputs().size();
    expected_ = mode_ == Mode::predict ? *n_x_ : *n_x_ + n_y_;
    // Keras's (x, y, sample_weight) elements: one weight tensor after the targets
    weighted_ = mode_ != Mode::predict && first.size() == expected_ + 1;
    if (weighted_) ++expected_;
    if (first.size() < expected_) bad_arity(first.size());
  }
  [[noreturn]] void bad_arity(std::size_t got) const {
    throw ValueError(std::string(what_) + ": the dataset's elements have " + std::to_string(got) +
                     " components; model '" + engine_.model_->name() + "' with " + std::to_string(*n_x_) +
                     " input(s) and " + std::to_string(n_y_) + " output(s) needs " +
                     (mode_ == Mode::predict ? "(x...)" : "(x..., y...[, sample_weight])") + " elements of " +
                     std::to_string(expected_) + " tensors");
  }
  bool matches(const Entry& e) const {
    std::size_t k = 0;
    for (const auto* group : {&x_, &y_})
      for (const Tensor& t : *group) {
        if (t.shape() != e.shapes[k] || t.dtype() != e.dtypes[k]) return false;
        ++k;
      }
    return true;
  }
  Entry* find() {
    for (auto& e : entries_)
      if (matches(e)) return &e;
    return nullptr;
  }
  Entry& add() {
    const std::vector<Tensor> targets(y_.begin(), y_.begin() + static_cast<std::ptrdiff_t>(std::min(n_y_, y_.size())));
    std::int64_t rows = engine_.check_data(x_, mode_ == Mode::predict ? nullptr : &targets);
    if (weighted_) with_sample_weight(targets, y_.back(), rows, what_);  // checks the weights' shape
    if (rows > static_cast<std::int64_t>(rows_.size())) {
      rows_.resize(static_cast<std::size_t>(rows));
      std::iota(rows_.begin(), rows_.end(), 0);
    }
    Entry e;
    e.step = &engine_.step(mode_, x_, y_, rows);
    e.execution = e.step->acquire();
    for (const auto* group : {&x_, &y_})
      for (const Tensor& t : *group) {
        e.shapes.push_back(t.shape());
        e.dtypes.push_back(t.dtype());
      }
    entries_.push_back(std::move(e));
    return entries_.back();
  }

  TrainingEngine& engine_;
  Mode mode_;
  const char* what_;
  std::optional<std::size_t> n_x_;
  std::size_t n_y_ = 0, expected_ = 0;
  bool weighted_ = false;  // elements carry a sample weight after the targets
  std::vector<Tensor> x_, y_;
  std::vector<std::int64_t> rows_;  // 0, 1, 2, ...: batches are fed whole
  std::deque<Entry> entries_;       // deque: Entry addresses stay valid as shapes are added
};

namespace {
void reject_batch_size(const std::optional<std::int64_t>& batch_size) {
  if (batch_size)
    throw ValueError("The `batch_size` argument must not be specified for the given input type. Received input: a "
                     "Dataset, batch_size: " + std::to_string(*batch_size) +
                     ". The Dataset's elements are batches already (Dataset::batch).");
}
}  // namespace

std::shared_ptr<History> TrainingEngine::fit(const datasets::Dataset& data, FitOptions options) {
  Backend& be = backend();  // taken once: backend() locks
  require_compiled("fit");
  reject_batch_size(options.batch_size);
  if (options.sample_weight || !options.class_weight.empty())
    throw UnsupportedError("fit: sample_weight and class_weight are supported with tensor data only, not a Dataset");
  if (options.epochs < 0) throw ValueError("fit: epochs must be >= 0");
  if (options.validation_split > 0)
    throw ValueError("`validation_split` is only supported for Tensors or NumPy arrays, found following types in "
                     "the input: [Dataset]");
  if (options.validation_steps && !(options.validation_data && options.validation_data->dataset))
    throw ValueError("fit: validation_steps needs validation_data given as a Dataset");
  EpochIterator batches(data, options.steps_per_epoch, "fit");
  // Keras keeps the validation iterator across epochs, so validation_steps walks on through the dataset
  std::unique_ptr<EpochIterator> val_batches;
  std::vector<Tensor> val_x, val_y;
  if (options.validation_data && options.validation_data->dataset) {
    val_batches = std::make_unique<EpochIterator>(*options.validation_data->dataset, options.validation_steps, "fit");
  } else if (options.validation_data) {
    val_x = options.validation_data->x;
    val_y = options.validation_data->y;
  }

  auto history = std::make_shared<History>();
  std::vector<std::shared_ptr<Callback>> callbacks = options.callbacks;
  callbacks.push_back(history);
  add_progbar_logger(callbacks, options.verbose);
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, options.epochs, batches.steps()});
  }

  BatchFeeder feeder(*this, Mode::train, "fit");
  StepLogs step_logs;
  Logs batch_logs, epoch_logs;
  Optimizer& optimizer = *model_->optimizer();
  model_->stop_training = false;
  for_each_callback(&callbacks, [&](Callback& c) { c.on_train_begin(epoch_logs); });
  const std::optional<ResumePoint> resume = resume_point(callbacks);
  const int first_epoch = resume ? resume->epoch : options.initial_epoch;
  for (int epoch = first_epoch; epoch < options.epochs; ++epoch) {
    step_logs.reset();
    for_each_callback(&callbacks, [&](Callback& c) { c.on_epoch_begin(epoch, epoch_logs); });
    batches.begin_epoch();
    // a resumed epoch passes over the batches trained before the interruption
    std::int64_t s = 0, resumed_rows = 0;
    if (resume && epoch == first_epoch)
      for (; s < resume->batches_done; ++s) {
        std::optional<datasets::Element> skipped = batches.next();
        if (!skipped) break;
        if (!skipped->empty() && (*skipped)[0].ndim() > 0) resumed_rows += (*skipped)[0].shape()[0];
      }
    if (resumed_rows) batch_logs = resume->logs;
    for (;; ++s) {
      std::optional<datasets::Element> batch = batches.next();
      if (!batch) break;
      auto [st, exec, count] = feeder.feed(std::move(*batch));
      if (batch_logs.empty() || resumed_rows) {
        for (const auto& name : st.log_names) batch_logs.try_emplace(name, 0.0);
        if (resumed_rows) step_logs.restore(st, resume->logs, static_cast<double>(resumed_rows));
        resumed_rows = 0;
      }
      for_each_callback(&callbacks, [&](Callback& c) { c.on_train_batch_begin(s, batch_logs); });
      optimizer.prepare_step();
      exec.run();
      step_logs.add(be, st, exec, count, batch_logs);
      for_each_callback(&callbacks, [&](Callback& c) { c.on_train_batch_end(s, batch_logs); });
      if (model_->stop_training) break;
    }
    batches.end_epoch();
    epoch_logs = batch_logs;
    Logs val;
    if (val_batches) val = run_test(*val_batches, &callbacks);
    else if (!val_x.empty()) val = run_test(val_x, val_y, 0, check_data(val_x, &val_y), 32, &callbacks);
    for (const auto& [k, v] : val) epoch_logs["val_" + k] = v;
    for_each_callback(&callbacks, [&](Callback& c) { c.on_epoch_end(epoch, epoch_logs); });
    if (model_->stop_training) break;
  }
  // Keras's fit ends with optimizer.finalize_variable_values (use_ema: the variables take their averages)
  if (options.epochs > 0) optimizer.finalize_variable_values();
  for_each_callback(&callbacks, [&](Callback& c) { c.on_train_end(epoch_logs); });
  return history;
}

Logs TrainingEngine::run_test(EpochIterator& batches, std::vector<std::shared_ptr<Callback>>* callbacks) {
  Backend& be = backend();  // taken once: backend() locks
  BatchFeeder feeder(*this, Mode::test, "evaluate");
  StepLogs step_logs;
  Logs logs;
  for_each_callback(callbacks, [&](Callback& c) { c.on_test_begin(logs); });
  batches.begin_epoch();
  for (std::int64_t s = 0;; ++s) {
    std::optional<datasets::Element> batch = batches.next();
    if (!batch) break;
    auto [st, exec, count] = feeder.feed(std::move(*batch));
    if (logs.empty())
      for (const auto& name : st.log_names) logs[name] = 0;
    for_each_callback(callbacks, [&](Callback& c) { c.on_test_batch_begin(s, logs); });
    exec.run();
    step_logs.add(be, st, exec, count, logs);
    for_each_callback(callbacks, [&](Callback& c) { c.on_test_batch_end(s, logs); });
  }
  batches.end_epoch();
  for_each_callback(callbacks, [&](Callback& c) { c.on_test_end(logs); });
  return logs;
}

Logs TrainingEngine::evaluate(const datasets::Dataset& data, EvaluateOptions options) {
  require_compiled("evaluate");
  reject_batch_size(options.batch_size);
  if (options.sample_weight)
    throw UnsupportedError("evaluate: sample_weight is supported with tensor data only, not a Dataset");
  EpochIterator batches(data, options.steps, "evaluate");
  std::vector<std::shared_ptr<Callback>> callbacks = options.callbacks;
  add_progbar_logger(callbacks, options.verbose);
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, 1, batches.steps()});
  }
  return run_test(batches, &callbacks);
}

std::vector<Tensor> TrainingEngine::predict(const datasets::Dataset& data, PredictOptions options) {
  Backend& be = backend();  // taken once: backend() locks
  reject_batch_size(options.batch_size);
  EpochIterator batches(data, options.steps, "predict");
  std::vector<std::shared_ptr<Callback>> callbacks;
  add_progbar_logger(callbacks, options.verbose);
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, 1, batches.steps()});
  }
  BatchFeeder feeder(*this, Mode::predict, "predict");
  std::vector<std::vector<Tensor>> parts;  // per output, one tensor per batch
  Logs logs;
  for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_begin(logs); });
  batches.begin_epoch();
  for (std::int64_t s = 0;; ++s) {
    std::optional<datasets::Element> batch = batches.next();
    if (!batch) break;
    for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_batch_begin(s, logs); });
    auto [st, exec, count] = feeder.feed(std::move(*batch));
    exec.run();
    parts.resize(st.program->outputs().size());
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const ValueInfo& info = st.program->output_info(i);
      Tensor out(info.shape, info.dtype);
      be.copy_to_host(out.raw(), exec.output(i), out.nbytes());
      parts[i].push_back(std::move(out));
    }
    for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_batch_end(s, logs); });
  }
  batches.end_epoch();
  for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_end(logs); });
  std::vector<Tensor> outs;
  for (auto& batches_of_output : parts) {
    std::int64_t rows = 0;
    for (const auto& t : batches_of_output) rows += t.shape()[0];
    Shape s = batches_of_output.front().shape();
    s[0] = rows;
    Tensor all(s, batches_of_output.front().dtype());
    std::size_t offset = 0;
    for (const auto& t : batches_of_output) {
      std::memcpy(static_cast<std::byte*>(all.raw()) + offset, t.raw(), t.nbytes());
      offset += t.nbytes();
    }
    outs.push_back(std::move(all));
  }
  return outs;
}

std::unique_ptr<Program::Execution> TrainingEngine::Step::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto e = std::move(idle_.back());
      idle_.pop_back();
      return e;
    }
  }
  return program->make_execution();
}

void TrainingEngine::Step::release(std::unique_ptr<Program::Execution> execution) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(execution));
}

void TrainingEngine::compile(CompileOptions options) {
  std::size_t n_out = model_->outputs().size();
  if (!options.optimizer.get()) throw ValueError("compile: no optimizer given");
  losses_.clear();
  if (options.loss.items.empty()) throw ValueError("compile: no loss given; pass e.g. .loss = \"mse\"");
  if (options.loss.items.size() == 1) {
    losses_.assign(n_out, options.loss.items[0].get());
  } else if (options.loss.items.size() == n_out) {
    for (const auto& l : options.loss.items) losses_.push_back(l.get());
  } else {
    throw ValueError("compile: " + std::to_string(options.loss.items.size()) + " losses given for a model with " +
                     std::to_string(n_out) + " outputs");
  }
  loss_weights_ = options.loss_weights;
  if (loss_weights_.empty()) loss_weights_.assign(n_out, 1.0f);
  if (loss_weights_.size() != n_out)
    throw ValueError("compile: " + std::to_string(loss_weights_.size()) + " loss_weights given for a model with " +
                     std::to_string(n_out) + " outputs");
  if (options.output_metrics.empty()) {
    metric_args_.assign(n_out, options.metrics);
  } else if (options.output_metrics.size() == n_out) {
    metric_args_ = options.output_metrics;
  } else {
    throw ValueError("compile: " + std::to_string(options.output_metrics.size()) +
                     " output_metrics lists given for a model with " + std::to_string(n_out) + " outputs");
  }
  if (!options.weighted_metrics.empty()) weighted_metric_args_.assign(n_out, options.weighted_metrics);
  else weighted_metric_args_.assign(n_out, {});
  metrics_.clear();
  weighted_metrics_.clear();
  std::lock_guard lock(steps_mutex_);
  steps_.clear();
  optimizer_built_ = false;
}

void TrainingEngine::invalidate() {
  std::lock_guard lock(steps_mutex_);
  steps_.clear();
  metrics_.clear();
  weighted_metrics_.clear();
}

void TrainingEngine::require_compiled(const char* what) const {
  if (losses_.empty())
    throw ValueError(std::string(what) + ": the model '" + model_->name() +
                     "' must be compiled first: call model.compile({.optimizer = ..., .loss = ...})");
}

std::int64_t TrainingEngine::check_data(const std::vector<Tensor>& x, const std::vector<Tensor>* y) const {
  if (x.size() != model_->inputs().size())
    throw ValueError("model '" + model_->name() + "' expects " + std::to_string(model_->inputs().size()) +
                     " input arrays, got " + std::to_string(x.size()));
  if (y && y->size() != model_->outputs().size())
    throw ValueError("model '" + model_->name() + "' has " + std::to_string(model_->outputs().size()) +
                     " outputs but " + std::to_string(y->size()) + " target arrays were given");
  std::string xs, ys;
  std::int64_t n = -1;
  bool ambiguous = false;
  auto take = [&](const Tensor& t, std::string& sizes) {
    if (t.ndim() == 0) throw ShapeError("data arrays need a batch dimension; got a scalar");
    sizes += (sizes.empty() ? "" : ", ") + std::to_string(t.shape()[0]);
    if (n >= 0 && t.shape()[0] != n) ambiguous = true;
    n = t.shape()[0];
  };
  for (const auto& t : x) take(t, xs);
  if (y)
    for (const auto& t : *y) take(t, ys);
  if (ambiguous)
    throw ValueError("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
                     "'x' sizes: " + xs + (y ? " 'y' sizes: " + ys : ""));
  for (std::size_t i = 0; i < x.size(); ++i) model_->check_input_shape(i, x[i].shape(), false);
  return n;
}

TrainingEngine::Step& TrainingEngine::step(Mode mode, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                           std::int64_t batch) {
  std::vector<std::int64_t> key{static_cast<std::int64_t>(mode)};
  std::vector<Shape> xs, ys;
  for (const auto* group : {&x, &y}) {
    for (const auto& t : *group) {
      Shape s = batch_shape(t, batch);
      key.push_back(static_cast<std::int64_t>(t.dtype()));
      key.insert(key.end(), s.begin(), s.end());
      key.push_back(-1);
      (group == &x ? xs : ys).push_back(s);
    }
    key.push_back(-2);
  }
  std::lock_guard lock(steps_mutex_);
  auto& slot = steps_[key];
  if (!slot) slot = build_step(mode, xs, ys);
  return *slot;
}

std::unique_ptr<TrainingEngine::Step> TrainingEngine::build_step(Mode mode, const std::vector<Shape>& x_shapes,
                                                                 const std::vector<Shape>& y_shapes) {
  auto step = std::make_unique<Step>();
  step->mode = mode;
  step->n_x = x_shapes.size();
  step->n_y = mode == Mode::predict ? 0 : y_shapes.size();
  Graph g;
  std::vector<Value> xs, ys;
  std::vector<ValueId> inputs, outputs;
  for (std::size_t i = 0; i < x_shapes.size(); ++i) {
    xs.push_back(g.add_input(x_shapes[i], DType::float32, input_name('x', i)));
    inputs.push_back(xs.back().id());
  }
  CallContext ctx{g, mode == Mode::train};
  std::vector<Value> outs = model_->call(xs, ctx);

  if (mode == Mode::predict) {
    for (const auto& o : outs) outputs.push_back(o.id());
    step->program = std::make_unique<Program>(std::move(g), inputs, outputs, backend());
    return step;
  }

  const std::size_t n_out = outs.size();
  for (std::size_t j = 0; j < n_out; ++j) {
    ys.push_back(g.add_input(y_shapes[j], losses_[j]->label_dtype(), input_name('y', j)));
    inputs.push_back(ys.back().id());
  }
  // a sample weight (fit/evaluate's sample_weight or class_weight) comes after the targets
  Value sample_weight;
  if (y_shapes.size() > n_out) {
    sample_weight = g.add_input(y_shapes[n_out], DType::float32, "sample_weight");
    inputs.push_back(sample_weight.id());
  }
  if (metrics_.empty()) {
    auto resolve = [&](const std::vector<std::vector<MetricArg>>& args) {
      std::vector<std::vector<std::shared_ptr<Metric>>> resolved(n_out);
      for (std::size_t j = 0; j < n_out; ++j)
        for (const auto& arg : args[j])
          resolved[j].push_back(arg.metric() ? arg.metric()
                                             : metrics::get(arg.identifier(), losses_[j]->name(), y_shapes[j],
                                                            outs[j].shape()));
      return resolved;
    };
    metrics_ = resolve(metric_args_);
    weighted_metrics_ = resolve(weighted_metric_args_);
  }
  auto output_name = [&](std::size_t j) { return model_->outputs()[j].layer().name(); };

  Value total;
  std::vector<Value> per_output;
  for (std::size_t j = 0; j < n_out; ++j) {
    LayerScope scope(g, "loss/" + output_name(j));
    Value l = (*losses_[j])(ys[j], outs[j], sample_weight);
    if (l.ndim() != 0)
      throw ValueError("The loss of output '" + output_name(j) + "' (" + losses_[j]->name() + ", reduction '" +
                       losses_[j]->reduction() + "') gives shape " + shape_str(l.shape()) +
                       "; training needs a scalar loss: use a reduction other than 'none'");
    per_output.push_back(l);
    Value weighted = loss_weights_[j] == 1.0f ? l : l * loss_weights_[j];
    total = total.valid() ? total + weighted : weighted;
  }
  // terms layers added while tracing (ActivityRegularization; Keras's add_loss) join the logged loss too
  for (const Value& extra : ctx.losses) {
    LayerScope scope(g, "loss/added");
    total = total + extra;
  }
  // weight regularization penalties (Keras's model.losses: one per trainable variable that has a regularizer)
  for (Variable* v : model_->trainable_weights())
    if (v->regularizer()) {
      LayerScope scope(g, "loss/regularization");
      total = total + (*v->regularizer())(g.add_variable(*v));
    }
  auto log_loss = [&](const Value& v, std::string name) {
    step->log_sources.push_back({nullptr, outputs.size(), 1});
    step->log_names.push_back(std::move(name));
    outputs.push_back(v.id());
  };
  log_loss(total, "loss");
  if (n_out > 1)
    for (std::size_t j = 0; j < n_out; ++j) log_loss(per_output[j], output_name(j) + "_loss");
  // metrics, then weighted metrics (given the sample weight), named as Keras's CompileMetrics.result does
  std::map<std::string, int> name_counts;
  auto log_metrics = [&](const std::vector<std::vector<std::shared_ptr<Metric>>>& all, bool weighted) {
    for (std::size_t j = 0; j < n_out; ++j)
      for (const auto& m : all[j]) {
        const std::string prefix = n_out > 1 ? output_name(j) + "_" : std::string();
        std::string name = prefix;
        name.append(m->name());
        if (weighted && name_counts.count(name)) name = prefix + std::string("weighted_").append(m->name());
        if (int& count = name_counts[name]; count++ > 0) name.append("_").append(std::to_string(count - 1));
        LayerScope scope(g, "metric/" + m->name());
        Step::LogSource source{m, outputs.size(), 0};
        std::vector<std::int64_t> sizes;
        for (Value v : m->update(ys[j], outs[j], weighted ? sample_weight : Value())) {
          if (v.dtype() != DType::float32) v = ops::cast(v, DType::float32);
          outputs.push_back(v.id());
          sizes.push_back(num_elements(v.shape()));
        }
        source.n_outputs = sizes.size();
        m->bind_state(sizes);
        step->log_sources.push_back(std::move(source));
        step->log_names.push_back(std::move(name));
      }
  };
  log_metrics(metrics_, false);
  log_metrics(weighted_metrics_, true);

  if (mode == Mode::train) {
    std::vector<Variable*> vars;
    std::vector<Value> var_values;
    for (Variable* v : model_->trainable_weights()) {
      vars.push_back(v);
      var_values.push_back(g.add_variable(*v));
    }
    // Keras's scale_loss: the gradients are of the scaled loss; the logged loss stays unscaled
    std::vector<Value> grads = gradients(model_->optimizer()->scale_loss(g, total), var_values);
    std::vector<Variable*> updated;
    std::vector<Value> used;
    for (std::size_t i = 0; i < vars.size(); ++i)
      if (grads[i].valid()) {
        updated.push_back(vars[i]);
        used.push_back(grads[i]);
      }
    Optimizer& opt = *model_->optimizer();
    opt.build(updated);
    optimizer_built_ = true;
    LayerScope scope(g, "optimizer/" + opt.name());
    opt.apply(g, updated, used);
    // Keras assigns each constrained variable its projection right after the optimizer's update
    for (Variable* v : updated)
      if (v->constraint()) {
        LayerScope constraint_scope(g, "constraint/" + v->path());
        Value w = g.add_variable(*v);
        ops::assign(w, (*v->constraint())(w));
      }
  }
  step->program = std::make_unique<Program>(std::move(g), inputs, outputs, backend());
  return step;
}

void TrainingEngine::feed(const Step& step, Program::Execution& execution, const std::vector<Tensor>& x,
                          const std::vector<Tensor>& y, const std::int64_t* indices, std::int64_t count) {
  // The oneDNN backend's device memory is host memory: rows are converted straight into the arena.
  auto put = [&](std::size_t input, const Tensor& src) {
    const ValueInfo& info = step.program->input_info(input);
    std::int64_t rows = src.shape()[0];
    std::size_t elems = rows ? static_cast<std::size_t>(src.size() / rows) : 0;
    std::size_t src_row = elems * dtype_size(src.dtype()), dst_row = elems * dtype_size(info.dtype);
    auto* dst = static_cast<std::byte*>(execution.input(input));
    const auto* base = static_cast<const std::byte*>(src.raw());
    for (std::int64_t i = 0; i < count; ++i)
      convert_elements(base + indices[i] * src_row, src.dtype(), dst + i * dst_row, info.dtype, elems);
  };
  for (std::size_t i = 0; i < step.n_x; ++i) put(i, x[i]);
  for (std::size_t j = 0; j < step.n_y; ++j) put(step.n_x + j, y[j]);
}

std::shared_ptr<History> TrainingEngine::fit(const std::vector<Tensor>& x_all, const std::vector<Tensor>& y_all,
                                             FitOptions options) {
  Backend& be = backend();  // taken once: backend() locks
  require_compiled("fit");
  std::int64_t n = check_data(x_all, &y_all);
  const std::int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size < 1) throw ValueError("fit: batch_size must be >= 1, got " + std::to_string(batch_size));
  if (options.steps_per_epoch)
    throw UnsupportedError("fit: steps_per_epoch is supported with a Dataset only; with tensors an epoch is one pass");
  if (!options.class_weight.empty()) {
    if (options.sample_weight) throw ValueError("fit: You cannot `class_weight` and `sample_weight` at the same time.");
    if (y_all.size() != 1) throw ValueError("fit: `class_weight` is only supported for Models with a single output.");
  }
  // validation_split holds out the sample weights too; class weights apply to the training samples only
  const std::vector<Tensor> y_weighted = with_sample_weight(y_all, options.sample_weight, n, "fit");
  if (options.epochs < 0) throw ValueError("fit: epochs must be >= 0");
  if (!(options.validation_split >= 0 && options.validation_split < 1))
    throw ValueError("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));

  // validation_split holds out the last samples, before any shuffling (as Keras does).
  std::int64_t n_train = n;
  std::vector<Tensor> val_x, val_y;
  std::unique_ptr<EpochIterator> val_batches;
  if (options.validation_data && options.validation_data->dataset) {
    val_batches = std::make_unique<EpochIterator>(*options.validation_data->dataset, options.validation_steps, "fit");
  } else if (options.validation_data) {
    val_x = options.validation_data->x;
    val_y = options.validation_data->y;
    check_data(val_x, &val_y);
  } else if (options.validation_split > 0) {
    n_train = static_cast<std::int64_t>(static_cast<double>(n) * (1.0 - options.validation_split));
    for (const auto& t : x_all) val_x.push_back(t.slice(n_train, n));
    for (const auto& t : y_weighted) val_y.push_back(t.slice(n_train, n));
  }
  const std::vector<Tensor> y_fed =
      options.class_weight.empty()
          ? y_weighted
          : with_sample_weight(y_all, class_weight_to_sample_weight(y_all[0], options.class_weight), n, "fit");
  if (n_train < 1) throw ValueError("fit: no training samples (validation_split leaves none)");
  const bool validate = val_batches || (!val_x.empty() && val_x[0].shape()[0] > 0);

  const std::int64_t batch = std::min(batch_size, n_train);
  const std::int64_t steps = (n_train + batch - 1) / batch;
  const std::int64_t tail = n_train % batch;
  Step& full = step(Mode::train, x_all, y_fed, batch);
  Step* last = tail ? &step(Mode::train, x_all, y_fed, tail) : &full;
  auto full_exec = full.acquire();
  auto last_exec = tail ? last->acquire() : nullptr;

  auto history = std::make_shared<History>();
  std::vector<std::shared_ptr<Callback>> callbacks = options.callbacks;
  callbacks.push_back(history);
  add_progbar_logger(callbacks, options.verbose);
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, options.epochs, steps});
  }

  StepLogs step_logs;
  Logs batch_logs;
  for (const auto& name : full.log_names) batch_logs[name] = 0;
  Logs epoch_logs;

  std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
  std::iota(order.begin(), order.end(), 0);
  const std::uint64_t shuffle_key = next_seed();

  Optimizer& optimizer = *model_->optimizer();
  model_->stop_training = false;
  auto shuffle = [&](int epoch) {
    std::uint64_t key = random::stream_key(shuffle_key, static_cast<std::uint64_t>(epoch));
    for (std::int64_t i = n_train - 1; i > 0; --i) {
      auto j = static_cast<std::int64_t>(random::uniform(key, static_cast<std::uint64_t>(i)) * static_cast<float>(i + 1));
      std::swap(order[i], order[std::min(j, i)]);
    }
  };
  for_each_callback(&callbacks, [&](Callback& c) { c.on_train_begin(epoch_logs); });
  const std::optional<ResumePoint> resume = resume_point(callbacks);
  const int first_epoch = resume ? resume->epoch : options.initial_epoch;
  // each epoch shuffles the previous epoch's order: replay the epochs done before the interruption
  if (options.shuffle)
    for (int epoch = options.initial_epoch; epoch < first_epoch; ++epoch) shuffle(epoch);
  for (int epoch = first_epoch; epoch < options.epochs; ++epoch) {
    step_logs.reset();
    for_each_callback(&callbacks, [&](Callback& c) { c.on_epoch_begin(epoch, epoch_logs); });
    if (options.shuffle) shuffle(epoch);
    std::int64_t first_step = 0;
    if (resume && epoch == first_epoch && resume->batches_done > 0) {
      // a resumed epoch goes on after the batches trained before the interruption, their running means restored
      first_step = std::min(resume->batches_done, steps);
      const auto rows = static_cast<double>(std::min(first_step * batch, n_train));
      step_logs.restore(full, resume->logs, rows);
      for (const auto& name : full.log_names)
        if (auto it = resume->logs.find(name); it != resume->logs.end()) batch_logs[name] = it->second;
    }
    for (std::int64_t s = first_step; s < steps; ++s) {
      for_each_callback(&callbacks, [&](Callback& c) { c.on_train_batch_begin(s, batch_logs); });
      std::int64_t count = std::min(batch, n_train - s * batch);
      Step& st = count == batch ? full : *last;
      Program::Execution& exec = count == batch ? *full_exec : *last_exec;
      feed(st, exec, x_all, y_fed, order.data() + s * batch, count);
      optimizer.prepare_step();
      exec.run();
      step_logs.add(be, st, exec, count, batch_logs);
      for_each_callback(&callbacks, [&](Callback& c) { c.on_train_batch_end(s, batch_logs); });
      if (model_->stop_training) break;
    }
    epoch_logs = batch_logs;
    if (validate) {
      // Keras's fit validates through evaluate with the fit's callbacks (on_test_* reach them; SwapEMAWeights)
      Logs val = val_batches ? run_test(*val_batches, &callbacks)
                             : run_test(val_x, val_y, 0, val_x[0].shape()[0], batch_size, &callbacks);
      for (const auto& [k, v] : val) epoch_logs["val_" + k] = v;
    }
    for_each_callback(&callbacks, [&](Callback& c) { c.on_epoch_end(epoch, epoch_logs); });
    if (model_->stop_training) break;
  }
  // Keras's fit ends with optimizer.finalize_variable_values (use_ema: the variables take their averages)
  if (options.epochs > 0) optimizer.finalize_variable_values();
  for_each_callback(&callbacks, [&](Callback& c) { c.on_train_end(epoch_logs); });
  full.release(std::move(full_exec));
  if (last_exec) last->release(std::move(last_exec));
  return history;
}

Logs TrainingEngine::run_test(const std::vector<Tensor>& x, const std::vector<Tensor>& y, std::int64_t begin,
                              std::int64_t end, std::int64_t batch_size,
                              std::vector<std::shared_ptr<Callback>>* callbacks) {
  Backend& be = backend();  // taken once: backend() locks
  std::int64_t n = end - begin;
  std::int64_t batch = std::max<std::int64_t>(1, std::min(batch_size, n));
  std::int64_t steps = (n + batch - 1) / batch;
  Step& full = step(Mode::test, x, y, batch);
  Step* last = n % batch ? &step(Mode::test, x, y, n % batch) : &full;
  auto full_exec = full.acquire();
  auto last_exec = last != &full ? last->acquire() : nullptr;
  StepLogs step_logs;
  Logs logs;
  for (const auto& name : full.log_names) logs[name] = 0;
  std::vector<std::int64_t> indices(static_cast<std::size_t>(batch));
  for_each_callback(callbacks, [&](Callback& c) { c.on_test_begin(logs); });
  for (std::int64_t s = 0; s < steps; ++s) {
    for_each_callback(callbacks, [&](Callback& c) { c.on_test_batch_begin(s, logs); });
    std::int64_t count = std::min(batch, n - s * batch);
    std::iota(indices.begin(), indices.begin() + count, begin + s * batch);
    Step& st = count == batch ? full : *last;
    Program::Execution& exec = count == batch ? *full_exec : *last_exec;
    feed(st, exec, x, y, indices.data(), count);
    exec.run();
    step_logs.add(be, st, exec, count, logs);
    for_each_callback(callbacks, [&](Callback& c) { c.on_test_batch_end(s, logs); });
  }
  for_each_callback(callbacks, [&](Callback& c) { c.on_test_end(logs); });
  full.release(std::move(full_exec));
  if (last_exec) last->release(std::move(last_exec));
  return logs;
}

Logs TrainingEngine::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y, EvaluateOptions options) {
  require_compiled("evaluate");
  std::int64_t n = check_data(x, &y);
  const std::int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size < 1) throw ValueError("evaluate: batch_size must be >= 1");
  std::vector<std::shared_ptr<Callback>> callbacks = options.callbacks;
  add_progbar_logger(callbacks, options.verbose);
  std::int64_t batch = std::min(batch_size, std::max<std::int64_t>(n, 1));
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, 1, (n + batch - 1) / batch});
  }
  return run_test(x, with_sample_weight(y, options.sample_weight, n, "evaluate"), 0, n, batch_size, &callbacks);
}

std::vector<Tensor> TrainingEngine::predict(const std::vector<Tensor>& x, PredictOptions options) {
  std::int64_t n = check_data(x, nullptr);
  const std::int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size < 1) throw ValueError("predict: batch_size must be >= 1");
  std::int64_t batch = std::max<std::int64_t>(1, std::min(batch_size, n));
  std::int64_t steps = n ? (n + batch - 1) / batch : 0;
  const std::vector<Tensor> none;
  Step& full = step(Mode::predict, x, none, batch);
  Step* last = n % batch ? &step(Mode::predict, x, none, n % batch) : &full;
  std::vector<Tensor> outs;
  for (std::size_t i = 0; i < full.program->outputs().size(); ++i) {
    Shape s = full.program->output_info(i).shape;
    s[0] = n;
    outs.emplace_back(s, full.program->output_info(i).dtype);
  }
  std::vector<std::shared_ptr<Callback>> callbacks;
  add_progbar_logger(callbacks, options.verbose);
  for (auto& cb : callbacks) {
    cb->set_model(model_);
    cb->set_params({options.verbose, 1, steps});
  }
  Logs logs;
  for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_begin(logs); });
  auto full_exec = full.acquire();
  auto last_exec = last != &full ? last->acquire() : nullptr;
  std::vector<std::int64_t> indices(static_cast<std::size_t>(batch));
  for (std::int64_t s = 0; s < steps; ++s) {
    for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_batch_begin(s, logs); });
    std::int64_t count = std::min(batch, n - s * batch);
    std::iota(indices.begin(), indices.begin() + count, s * batch);
    Step& st = count == batch ? full : *last;
    Program::Execution& exec = count == batch ? *full_exec : *last_exec;
    feed(st, exec, x, none, indices.data(), count);
    exec.run();
    for (std::size_t i = 0; i < outs.size(); ++i) {
      std::size_t row = outs[i].shape()[0] ? outs[i].nbytes() / static_cast<std::size_t>(n) : 0;
      backend().copy_to_host(static_cast<std::byte*>(outs[i].raw()) + s * batch * row, exec.output(i), row * count);
    }
    for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_batch_end(s, logs); });
  }
  for_each_callback(&callbacks, [&](Callback& c) { c.on_predict_end(logs); });
  full.release(std::move(full_exec));
  if (last_exec) last->release(std::move(last_exec));
  return outs;
}

Logs TrainingEngine::train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y_all,
                                    const std::optional<Tensor>& sample_weight) {
  Backend& be = backend();  // taken once: backend() locks
  require_compiled("train_on_batch");
  std::int64_t n = check_data(x, &y_all);
  const std::vector<Tensor> y = with_sample_weight(y_all, sample_weight, n, "train_on_batch");
  Step& st = step(Mode::train, x, y, n);
  auto exec = st.acquire();
  std::vector<std::int64_t> indices(static_cast<std::size_t>(n));
  std::iota(indices.begin(), indices.end(), 0);
  feed(st, *exec, x, y, indices.data(), n);
  model_->optimizer()->prepare_step();
  exec->run();
  Logs logs;
  StepLogs step_logs;  // Keras's train_on_batch resets the metrics first (reset_metrics=True)
  step_logs.add(be, st, *exec, n, logs);
  st.release(std::move(exec));
  return logs;
}

Logs TrainingEngine::test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                   const std::optional<Tensor>& sample_weight) {
  require_compiled("test_on_batch");
  std::int64_t n = check_data(x, &y);
  return run_test(x, with_sample_weight(y, sample_weight, n, "test_on_batch"), 0, n, n, nullptr);
}

std::vector<Tensor> TrainingEngine::predict_on_batch(const std::vector<Tensor>& x) {
  std::int64_t n = check_data(x, nullptr);
  return predict(x, {.batch_size = std::max<std::int64_t>(n, 1), .verbose = 0});
}

}  // namespace strata
