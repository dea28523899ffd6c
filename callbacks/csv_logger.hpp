#pragma once
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

struct CSVLoggerOptions {
  std::string separator = ",";
  bool append = false;  // add to an existing file (its header is kept) instead of overwriting it
};

/// keras.callbacks.CSVLogger: one row per epoch (epoch, then the logs in sorted order), written like
/// Python's csv module writes Keras's file: "\r\n" line ends, floats as Python prints them, "NA" for a
/// missing value. The columns are fixed by the first epoch's logs (plus val_ columns when none were logged).
/// Each row is flushed as it is written, so the file is complete up to the last finished epoch even if
/// training stops with an exception.
class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;
  const std::string& filename() const { return filename_; }

 private:
  void write_row(const std::vector<std::string>& fields);
  std::string filename_;
  CSVLoggerOptions options_;
  std::ofstream file_;
  std::optional<std::vector<std::string>> keys_;
  bool append_header_ = true;
  bool header_written_ = false;
};

}  // namespace strata::callbacks
