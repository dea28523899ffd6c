#include <strata/datasets/csv.hpp>

#include <cerrno>
#include <cstdlib>
#include <string_view>

#include <strata/datasets/image_io.hpp>

namespace strata::datasets {
namespace {

// Splits the text into records one at a time, RFC 4180 style.
class CsvTokenizer {
 public:
  CsvTokenizer(std::string_view text, char delimiter, const std::string& path)
      : text_(text), delimiter_(delimiter), path_(path) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  /// The next non-blank record into `fields`; false at the end. `line` is where the record starts.
  bool next(std::vector<std::string>& fields, std::size_t& line) {
    for (;;) {
      if (pos_ >= text_.size()) return false;
      // blank lines are skipped, as pandas does
      if (text_[pos_] == '\n' || (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) {
        pos_ += text_[pos_] == '\r' ? 2 : 1;
        ++line_;
        continue;
      }
      break;
    }
    line = line_;
    fields.clear();
    std::string field;
    bool quoted = false;
    for (;;) {
      if (pos_ >= text_.size()) {
        fields.push_back(std::move(field));
        return true;
      }
      const char c = text_[pos_];
      if (c == '"' && !quoted && field.find_first_not_of(" \t") == std::string::npos) {
        field.clear();
        quoted = true;
        ++pos_;
        read_quoted(field, line);
        continue;
      }
      if (c == delimiter_) {
        fields.push_back(std::move(field));
        field.clear();
        quoted = false;
        ++pos_;
        continue;
      }
      if (c == '\n' || (c == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'))) {
        pos_ += (c == '\r' && pos_ + 1 < text_.size()) ? 2 : 1;
        ++line_;
        fields.push_back(std::move(field));
        return true;
      }
      field += c;
      ++pos_;
    }
  }

 private:
  void read_quoted(std::string& field, std::size_t start_line) {
    for (;;) {
      if (pos_ >= text_.size())
        throw FileFormatError("CSV file '" + path_ + "', line " + std::to_string(start_line) +
                              ": a quoted field is never closed");
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
          continue;
        }
        return;
      }
      if (c == '\n') ++line_;
      field += c;
    }
  }

  std::string_view text_;
  char delimiter_;
  const std::string& path_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

std::string_view trimmed(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

int resolve(const CsvColumn& column, const std::vector<std::string>& names, bool has_header, const std::string& path,
            const char* role) {
  if (column.index >= 0) {
    if (column.index >= static_cast<int>(names.size()))
      throw ValueError("read_csv('" + path + "'): " + role + " index " + std::to_string(column.index) +
                       " is out of range: the file has " + std::to_string(names.size()) + " columns");
    return column.index;
  }
  if (!column.name.empty() && has_header)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == column.name) return static_cast<int>(i);
  if (!has_header)
    throw ValueError("read_csv('" + path + "'): " + role + " '" + column.name +
                     "' is a name, but header = false; select columns by index");
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "'" : ", '") + n + "'";
  throw ValueError("read_csv('" + path + "'): " + role + " '" + column.name + "' is not a column of the file (" +
                   known + ")");
}

}  // namespace

CsvData read_csv(const std::string& path, const CsvOptions& options) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file_bytes(path);
  } catch (const FileFormatError&) {
    rethrow_with_prefix("CSV file: ");
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  CsvTokenizer tokenizer(text, options.delimiter, path);
  std::vector<std::string> fields;
  std::size_t line = 0;
  if (!tokenizer.next(fields, line)) throw FileFormatError("CSV file '" + path + "' is empty");

  std::vector<std::string> names;
  const std::size_t columns = fields.size();
  for (std::size_t i = 0; i < columns; ++i)
    names.push_back(options.header ? std::string(trimmed(fields[i])) : "column_" + std::to_string(i));

  int label = -1;
  if (options.label_column) label = resolve(*options.label_column, names, options.header, path, "label_column");
  std::vector<int> selected;
  if (options.select_columns.empty()) {
    for (std::size_t i = 0; i < columns; ++i)
      if (static_cast<int>(i) != label) selected.push_back(static_cast<int>(i));
  } else {
    for (const auto& column : options.select_columns)
      selected.push_back(resolve(column, names, options.header, path, "select_columns entry"));
  }

  CsvData result;
  for (int i : selected) result.column_names.push_back(names[i]);
  if (label >= 0) result.label_name = names[label];

  std::vector<float> x, y;
  std::size_t rows = 0;
  auto number = [&](const std::string& field, int column) -> float {
    const std::string_view value = trimmed(field);
    if (value.empty()) {
      if (options.missing_value) return *options.missing_value;
      throw FileFormatError("CSV file '" + path + "', line " + std::to_string(line) + ": column '" + names[column] +
                            "' is empty (set CsvOptions::missing_value to fill empty fields)");
    }
    const std::string copy(value);
    char* end = nullptr;
    errno = 0;
    const float v = std::strtof(copy.c_str(), &end);
    // out-of-range values become +-inf or denormals, as numpy's float32 parsing does; only junk is an error
    if (end != copy.c_str() + copy.size())
      throw FileFormatError("CSV file '" + path + "', line " + std::to_string(line) + ": column '" + names[column] +
                            "' holds '" + copy + "', not a number");
    return v;
  };
  bool have_row = !options.header;
  do {
    if (have_row) {
      if (fields.size() != columns)
        throw FileFormatError("CSV file '" + path + "', line " + std::to_string(line) + ": expected " +
                              std::to_string(columns) + " columns, found " + std::to_string(fields.size()));
      for (int i : selected) x.push_back(number(fields[i], i));
      if (label >= 0) y.push_back(number(fields[label], label));
      ++rows;
    }
    have_row = true;
  } while (tokenizer.next(fields, line));

  const auto n = static_cast<std::int64_t>(rows);
  result.x = Tensor({n, static_cast<std::int64_t>(selected.size())}, x);
  if (label >= 0) result.y = Tensor({n}, y);
  return result;
}

}  // namespace strata::datasets
