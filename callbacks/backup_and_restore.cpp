#include <strata/callbacks/backup_and_restore.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <strata/api/errors.hpp>
#include <strata/api/model.hpp>
#include <strata/api/variable.hpp>

namespace strata::callbacks {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMetadata = "training_metadata.json";
constexpr const char* kPreviousMetadata = "training_metadata.json.bkp";

void fsync_path(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`: the commit point of a backup.
void write_text_atomically(const fs::path& path, const std::string& text) {
  std::string tmp_name = path.filename().string();
  tmp_name.insert(0, 1, '.');  // hidden; built in place, as "." + string trips GCC 12's -Wrestrict
  tmp_name += ".tmp-" + std::to_string(::getpid());
  const fs::path tmp = path.parent_path() / tmp_name;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw FileFormatError("BackupAndRestore: cannot write '" + tmp.string() + "' (" + std::strerror(errno) + ")");
  }
  fsync_path(tmp, false);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileFormatError("BackupAndRestore: cannot move the backup metadata into place at '" + path.string() + "'");
  }
  fsync_path(path.parent_path(), true);
}

std::optional<nlohmann::json> read_metadata(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw FileFormatError("BackupAndRestore: '" + path.string() + "' is not valid JSON (" + e.what() + ")");
  }
}

}  // namespace

BackupAndRestore::BackupAndRestore(std::string backup_dir, BackupAndRestoreOptions options)
    : backup_dir_(std::move(backup_dir)), options_(std::move(options)) {
  if (backup_dir_.empty()) throw ValueError("Empty `backup_dir` argument passed");
  if (const auto* every = std::get_if<std::int64_t>(&options_.save_freq)) {
    if (*every < 1)
      throw ValueError("Invalid value for argument `save_freq`. Received: save_freq=" + std::to_string(*every) +
                       ". Expected either 'epoch' or a positive integer value.");
    save_every_ = *every;
  } else if (std::get<std::string>(options_.save_freq) != "epoch") {
    throw ValueError("Invalid value for argument `save_freq`. Received: save_freq=" +
                     std::get<std::string>(options_.save_freq) + ". Expected either 'epoch' or an integer value.");
  }
}

void BackupAndRestore::on_train_begin(const Logs&) {
  if (!model().built())
    throw ValueError("To use the BackupAndRestore callback, you model must be built before you call `fit()`. Model " +
                     model().name() + " is unbuilt. You can build it beforehand by calling it on a batch of data.");
  // fail before training, not at the first backup, when the directory cannot hold backups
  std::error_code ec;
  fs::create_directories(backup_dir_, ec);
  if (ec || !fs::is_directory(backup_dir_) || ::access(backup_dir_.c_str(), W_OK) != 0)
    throw FileFormatError("BackupAndRestore: backup_dir '" + backup_dir_ + "' is not a writable directory" +
                          (ec ? " (" + ec.message() + ")" : std::string()));
  resume_.reset();
  save_count_ = 0;
  batches_since_save_ = 0;
  last_batch_seen_ = 0;
  current_epoch_ = 0;
  const fs::path dir(backup_dir_);
  try {
    restore((dir / kMetadata).string());
  } catch (const Error&) {
    // the latest backup is unreadable: fall back to the previous one when double_checkpoint kept it
    if (!options_.double_checkpoint || !restore((dir / kPreviousMetadata).string())) throw;
  }
}

bool BackupAndRestore::restore(const std::string& metadata_file) {
  std::optional<nlohmann::json> metadata = read_metadata(metadata_file);
  if (!metadata) return false;
  ResumePoint point;
  std::string weights;
  try {
    point.epoch = metadata->at("epoch").get<int>();
    point.batches_done = metadata->value("batches_done", std::int64_t{0});
    const nlohmann::json logs = metadata->value("logs", nlohmann::json::object());
    for (const auto& [name, value] : logs.items()) point.logs[name] = value.get<double>();
    weights = metadata->at("weights").get<std::string>();
    // never reuse a number, also after falling back past a damaged later backup
    save_count_ = std::max(save_count_, metadata->value("save_count", std::int64_t{0}));
  } catch (const nlohmann::json::exception& e) {
    throw FileFormatError("BackupAndRestore: '" + metadata_file + "' is not a backup's metadata (" + e.what() + ")");
  }
  // as Keras: the optimizer's variables must exist for its state to load
  if (model().optimizer() && model().compiled()) model().build_optimizer();
  model().load_weights((fs::path(backup_dir_) / weights).string());
  const nlohmann::json states = metadata->value("states", nlohmann::json::array());
  const std::vector<Variable*> variables = model().states();
  if (states.size() != variables.size())
    throw FileFormatError("BackupAndRestore: '" + metadata_file + "' holds " + std::to_string(states.size()) +
                          " layer states but the model has " + std::to_string(variables.size()));
  for (std::size_t i = 0; i < states.size(); ++i) {
    Variable& variable = *variables[i];
    const nlohmann::json& values = states[i].at("values");
    Tensor value(variable.shape(), variable.dtype());
    // matched by position, as the weights are: a rebuilt model's layers may be named differently
    if (static_cast<std::int64_t>(values.size()) != value.size())
      throw FileFormatError("BackupAndRestore: '" + metadata_file + "': saved state " + states[i].at("path").dump() +
                            " does not fit the model's state '" + variable.path() + "'");
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (value.dtype() == DType::int64) value.data<std::int64_t>()[k] = values[k].get<std::int64_t>();
      else if (value.dtype() == DType::int32) value.data<std::int32_t>()[k] = values[k].get<std::int32_t>();
      else if (value.dtype() == DType::uint8) value.data<std::uint8_t>()[k] = values[k].get<std::uint8_t>();
      else value.data<float>()[k] = values[k].get<float>();
    }
    variable.assign(value);
  }
  current_epoch_ = point.epoch;
  // the batch cadence goes on as if the run had not stopped
  last_batch_seen_ = point.batches_done > 0 ? point.batches_done - 1 : 0;
  resume_ = std::move(point);
  return true;
}

void BackupAndRestore::save(int epoch, std::int64_t batches_done, const Logs& logs) {
  const fs::path dir(backup_dir_);
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string weights = "ckpt-" + std::to_string(++save_count_) + ".weights.h5";
  model().save_weights((dir / weights).string());  // atomic itself (temporary file + rename)
  std::optional<nlohmann::json> previous = read_metadata(dir / kMetadata);
  if (options_.double_checkpoint && previous) write_text_atomically(dir / kPreviousMetadata, previous->dump());
  nlohmann::json metadata = {{"epoch", epoch},
                             {"batch", batches_done > 0 ? batches_done - 1 : 0},  // Keras's last batch seen
                             {"batches_done", batches_done},
                             {"weights", weights},
                             {"save_count", save_count_},
                             {"logs", nlohmann::json::object()}};
  for (const auto& [name, value] : logs) metadata["logs"][name] = value;
  // the layers' seed generator states, which the weights file leaves out: dropout masks go on as before
  metadata["states"] = nlohmann::json::array();
  for (const Variable* state : model().states()) {
    const Tensor value = state->value();
    nlohmann::json values = nlohmann::json::array();
    for (std::int64_t i = 0; i < value.size(); ++i) {
      if (value.dtype() == DType::int64) values.push_back(value.data<std::int64_t>()[i]);
      else values.push_back(value.item(i));
    }
    metadata["states"].push_back({{"path", state->path()}, {"values", values}});
  }
  write_text_atomically(dir / kMetadata, metadata.dump());
  // weights files no metadata names any more (and any a kill left uncommitted)
  std::string kept = weights, kept_previous;
  if (options_.double_checkpoint && previous) kept_previous = previous->value("weights", std::string());
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("ckpt-") && name.ends_with(".weights.h5") && name != kept && name != kept_previous)
      fs::remove(entry.path(), ec);
  }
}

void BackupAndRestore::on_epoch_begin(int epoch, const Logs&) { current_epoch_ = epoch; }

bool BackupAndRestore::should_save_on_batch(std::int64_t batch) {
  if (save_every_ == 0) return false;
  // Keras's count, batch indices restarting at 0 each epoch
  batches_since_save_ += batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;
  last_batch_seen_ = batch;
  if (batches_since_save_ < save_every_) return false;
  batches_since_save_ = 0;
  return true;
}

void BackupAndRestore::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  if (should_save_on_batch(batch)) save(current_epoch_, batch + 1, logs);
}

void BackupAndRestore::on_epoch_end(int epoch, Logs& logs) {
  current_epoch_ = epoch + 1;
  last_batch_seen_ = 0;
  if (save_every_ == 0) save(epoch + 1, 0, {});
}

void BackupAndRestore::on_train_end(const Logs&) {
  resume_.reset();
  std::error_code ec;
  if (options_.delete_checkpoint && fs::exists(backup_dir_, ec)) fs::remove_all(backup_dir_, ec);
}

}  // namespace strata::callbacks
