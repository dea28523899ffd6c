#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace strata {

class Model;

/// Logs passed to callbacks: metric name -> value, in Keras 3's (sorted) order.
using Logs = std::map<std::string, double>;

/// What fit/evaluate tell callbacks about the run (Keras's callback.params).
struct TrainingParams {
  int verbose = 1;
  int epochs = 1;
  std::int64_t steps = 0;
};

/// Where fit resumes an interrupted run (BackupAndRestore): the epoch, how many of its batches are done, and the
/// epoch's running logs after them (so the epoch's metrics come out as in an uninterrupted run).
struct ResumePoint {
  int epoch = 0;
  std::int64_t batches_done = 0;
  Logs logs;
};

/// Base of the callbacks, with Keras's hook points. Hooks run on the calling thread; one that throws
/// ends fit() with the exception, leaving the model as it was after the last completed step.
class Callback {
 public:
  virtual ~Callback() = default;
  void set_model(Model* model) { model_ = model; }
  void set_params(const TrainingParams& params) { params_ = params; }
  Model& model() const;
  const TrainingParams& params() const { return params_; }

  virtual void on_train_begin(const Logs& logs) {}
  virtual void on_train_end(const Logs& logs) {}
  virtual void on_epoch_begin(int epoch, const Logs& logs) {}
  /// `logs` may be extended, as Keras's callbacks do (ReduceLROnPlateau adds "learning_rate"): callbacks after
  /// this one, History among them, see the additions.
  virtual void on_epoch_end(int epoch, Logs& logs) {}
  virtual void on_train_batch_begin(std::int64_t batch, const Logs& logs) {}
  virtual void on_train_batch_end(std::int64_t batch, const Logs& logs) {}
  virtual void on_test_begin(const Logs& logs) {}
  virtual void on_test_end(const Logs& logs) {}
  virtual void on_test_batch_begin(std::int64_t batch, const Logs& logs) {}
  virtual void on_test_batch_end(std::int64_t batch, const Logs& logs) {}
  virtual void on_predict_begin(const Logs& logs) {}
  virtual void on_predict_end(const Logs& logs) {}
  virtual void on_predict_batch_begin(std::int64_t batch, const Logs& logs) {}
  virtual void on_predict_batch_end(std::int64_t batch, const Logs& logs) {}
  /// Asked by fit right after on_train_begin: a callback that restored a backup there says where training goes on
  /// (Keras's model._initial_epoch, down to the batch).
  virtual std::optional<ResumePoint> resume_point() const { return std::nullopt; }

 private:
  Model* model_ = nullptr;
  TrainingParams params_;
};

}  // namespace strata
