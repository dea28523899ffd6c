#include <strata/callbacks/model_checkpoint.hpp>

#include <filesystem>
#include <iostream>
#include <map>

#include <spdlog/spdlog.h>

#include <strata/api/errors.hpp>
#include <strata/api/model.hpp>
#include <strata/callbacks/python_format.hpp>

namespace strata::callbacks {

namespace {

/// Python's f"{x:.5f}", as Keras prints the monitored values.
std::string fixed5(std::optional<double> x) { return x ? python_format_value(*x, ".5f") : "None"; }

}  // namespace

ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : MonitorCallback("ModelCheckpoint", options.monitor, options.mode, 0, options.initial_value_threshold),
      filepath_(std::move(filepath)),
      options_(std::move(options)) {
  if (const auto* every = std::get_if<std::int64_t>(&options_.save_freq)) {
    if (*every < 1)
      throw ValueError("ModelCheckpoint: save_freq must be \"epoch\" or a positive number of batches. Received: " +
                       std::to_string(*every));
    save_every_ = *every;
  } else if (std::get<std::string>(options_.save_freq) != "epoch") {
    throw ValueError("Unrecognized save_freq: " + std::get<std::string>(options_.save_freq) +
                     ". Expected save_freq are 'epoch' or integer values");
  }
  if (options_.save_weights_only) {
    if (!filepath_.ends_with(".weights.h5"))
      throw ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                       "`.weights.h5` (Keras weights format). Received: filepath=" + filepath_);
  } else if (!filepath_.ends_with(".keras") && !filepath_.ends_with(".h5")) {
    throw ValueError("The filepath provided must end in `.keras` (Keras model format). Received: filepath=" +
                     filepath_);
  }
}

void ModelCheckpoint::on_epoch_begin(int epoch, const Logs&) { current_epoch_ = epoch; }

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  set_monitor_op();
  if (save_every_ == 0) save_model(epoch, std::nullopt, logs);
}

void ModelCheckpoint::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  if (should_save_on_batch(batch)) save_model(current_epoch_, batch, logs);
}

bool ModelCheckpoint::should_save_on_batch(std::int64_t batch) {
  if (save_every_ == 0) return false;
  // batch indices restart at 0 each epoch
  const std::int64_t added = !last_batch_seen_ || batch <= *last_batch_seen_ ? batch + 1 : batch - *last_batch_seen_;
  batches_since_save_ += added;
  last_batch_seen_ = batch;
  if (batches_since_save_ < save_every_) return false;
  batches_since_save_ = 0;
  return true;
}

std::string ModelCheckpoint::file_path(int epoch, std::optional<std::int64_t> batch, const Logs& logs) const {
  std::map<std::string, FormatValue> values;
  for (const auto& [k, v] : logs) values[k] = v;
  values["epoch"] = static_cast<std::int64_t>(epoch + 1);
  if (batch && !logs.count("batch")) values["batch"] = *batch + 1;
  try {
    return python_format(filepath_, values);
  } catch (const ValueError& e) {
    throw ValueError("Failed to format this callback filepath: \"" + filepath_ + "\". Reason: " + e.what());
  }
}

bool ModelCheckpoint::should_save_model(int epoch, const Logs& logs, const std::string& path) {
  if (!options_.save_best_only) {
    if (options_.verbose > 0) std::cout << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n";
    return true;
  }
  auto it = logs.find(monitor_);
  if (it == logs.end()) {
    spdlog::warn("Can save best model only with {} available.", monitor_);
    return true;
  }
  set_monitor_op();
  const double current = it->second;
  if (is_improvement(current, best_)) {
    if (options_.verbose > 0)
      std::cout << "\nEpoch " << epoch + 1 << ": " << monitor_ << " improved from " << fixed5(best_) << " to "
                << fixed5(current) << ", saving model to " << path << "\n";
    best_ = current;
    return true;
  }
  if (options_.verbose > 0)
    std::cout << "\nEpoch " << epoch + 1 << ": " << monitor_ << " did not improve from " << fixed5(best_) << "\n";
  return false;
}

void ModelCheckpoint::save_model(int epoch, std::optional<std::int64_t> batch, const Logs& logs) {
  const std::string path = file_path(epoch, batch, logs);
  if (!should_save_model(epoch, logs, path)) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw FileFormatError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing "
                          "directory: " + path);
  const fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir, ec) && !fs::create_directories(dir, ec) && ec)
    throw FileFormatError("ModelCheckpoint: cannot create the directory " + dir.string() + ": " + ec.message());
  if (options_.save_weights_only)
    model().save_weights(path);
  else
    model().save(path);
  if (options_.verbose > 0) std::cout << "\nEpoch " << epoch + 1 << ": finished saving model to " << path << "\n";
}

}  // namespace strata::callbacks
