#include <strata/callbacks/csv_logger.hpp>

#include <filesystem>

#include <strata/api/errors.hpp>
#include <strata/callbacks/python_format.hpp>

namespace strata::callbacks {

CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), options_(std::move(options)) {
  if (options_.separator.size() != 1)
    throw ValueError("CSVLogger: separator must be a 1-character string, got \"" + options_.separator + "\"");
}

void CSVLogger::on_train_begin(const Logs& logs) {
  if (file_.is_open()) file_.close();
  append_header_ = true;
  if (options_.append && std::filesystem::exists(filename_)) {
    // Keras writes the header only into an empty file
    std::ifstream existing(filename_, std::ios::binary);
    std::string first;
    std::getline(existing, first);
    append_header_ = first.empty() && existing.eof();
  }
  file_.open(filename_, std::ios::binary | (options_.append ? std::ios::app : std::ios::trunc));
  if (!file_) throw FileFormatError("CSVLogger: cannot open '" + filename_ + "' for writing");
  keys_.reset();
  header_written_ = false;
}

void CSVLogger::write_row(const std::vector<std::string>& fields) {
  // Python's csv (excel dialect, QUOTE_MINIMAL): quote fields holding the separator, a quote or a line break
  const char sep = options_.separator[0];
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += sep;
    const std::string& f = fields[i];
    if (f.find_first_of(std::string(1, sep) + "\"\r\n") == std::string::npos) {
      line += f;
      continue;
    }
    line += '"';
    for (char c : f) line += c == '"' ? std::string("\"\"") : std::string(1, c);
    line += '"';
  }
  line += "\r\n";
  file_ << line;
  file_.flush();
  if (!file_) throw FileFormatError("CSVLogger: cannot write to '" + filename_ + "'");
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (!file_.is_open()) on_train_begin({});
  if (!keys_) {
    keys_.emplace();
    bool has_val = false;
    for (const auto& [k, v] : logs) {
      keys_->push_back(k);
      has_val = has_val || k.rfind("val_", 0) == 0;
    }
    // as Keras: without validation logs yet, reserve their columns
    if (!has_val) {
      const std::size_t n = keys_->size();
      for (std::size_t i = 0; i < n; ++i) keys_->push_back("val_" + (*keys_)[i]);
    }
  }
  if (!header_written_) {
    header_written_ = true;
    if (append_header_) {
      std::vector<std::string> header{"epoch"};
      header.insert(header.end(), keys_->begin(), keys_->end());
      write_row(header);
    }
  }
  std::vector<std::string> row{std::to_string(epoch)};
  for (const auto& k : *keys_) {
    auto it = logs.find(k);
    row.push_back(it == logs.end() ? "NA" : python_float_repr(it->second));
  }
  write_row(row);
}

void CSVLogger::on_train_end(const Logs& logs) {
  if (file_.is_open()) file_.close();
}

}  // namespace strata::callbacks
