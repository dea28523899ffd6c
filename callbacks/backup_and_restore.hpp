#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

struct BackupAndRestoreOptions {
  /// "epoch": back up at each epoch end; an integer N: every N training batches.
  std::variant<std::string, std::int64_t> save_freq = std::string("epoch");
  /// Keep the previous backup too, and fall back to it when the latest one cannot be read.
  bool double_checkpoint = false;
  /// Remove backup_dir when fit ends normally (not when training stops with an exception or is killed).
  bool delete_checkpoint = true;
};

/// keras.callbacks.BackupAndRestore: backs up the model's weights, the optimizer's state and the training position
/// (epoch, batches done in it, the epoch's running logs) in backup_dir during fit. A fit that starts with a backup
/// there restores it and goes on from that position: from the next epoch after an epoch-end backup, and, beyond
/// Keras (which restarts the epoch), from the next batch after a batch backup, so a killed and rerun fit ends with
/// the weights of an uninterrupted run. Each backup is committed by one atomic rename of training_metadata.json,
/// which names its weights file (ckpt-<n>.weights.h5), so a kill at any moment leaves a consistent backup.
class BackupAndRestore : public Callback {
 public:
  explicit BackupAndRestore(std::string backup_dir, BackupAndRestoreOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_train_end(const Logs& logs) override;
  std::optional<ResumePoint> resume_point() const override { return resume_; }

  const std::string& backup_dir() const { return backup_dir_; }

 private:
  bool should_save_on_batch(std::int64_t batch);
  void save(int epoch, std::int64_t batches_done, const Logs& logs);
  /// Restores the backup that `metadata_file` describes; false when there is none.
  bool restore(const std::string& metadata_file);

  std::string backup_dir_;
  BackupAndRestoreOptions options_;
  std::int64_t save_every_ = 0;  // batches; 0 = at epoch ends
  std::int64_t batches_since_save_ = 0;
  std::int64_t last_batch_seen_ = 0;
  std::int64_t save_count_ = 0;  // numbers the weights files
  int current_epoch_ = 0;
  std::optional<ResumePoint> resume_;
};

}  // namespace strata::callbacks
