#pragma once
// CSV files of numbers into float32 tensors (the numeric part of pandas.read_csv / tf.data.experimental.CsvDataset).
#include <optional>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>

namespace strata::datasets {

/// A CSV column, by header name or by 0-based index: {"price", "rooms"} or {0, 3}.
struct CsvColumn {
  std::string name;
  int index = -1;
  CsvColumn(const char* column_name) : name(column_name) {}
  CsvColumn(std::string column_name) : name(std::move(column_name)) {}
  CsvColumn(int column_index) : index(column_index) {}
};

struct CsvOptions {
  /// Whether the first record holds column names (needed to select columns by name).
  bool header = true;
  char delimiter = ',';
  /// The feature columns, in this order; empty: every column except the label column.
  std::vector<CsvColumn> select_columns = {};
  /// A column returned separately as `y` (float32, (rows,)); none by default.
  std::optional<CsvColumn> label_column = std::nullopt;
  /// What an empty field of a used column becomes; without it an empty field raises FileFormatError.
  std::optional<float> missing_value = std::nullopt;
};

struct CsvData {
  /// The feature columns, float32 (rows, features).
  Tensor x;
  /// The label column, float32 (rows,); empty when there is no label column.
  Tensor y;
  /// Names of x's columns (from the header, else "column_<index>"), and of the label column.
  std::vector<std::string> column_names;
  std::string label_name;
};

/// Reads a CSV file (RFC 4180: fields may be quoted, with "" for a quote and newlines inside quotes; CRLF or LF;
/// a UTF-8 byte-order mark and blank lines are skipped). Used fields must be numbers (strtof: "1.5", "-2e3",
/// "nan", "inf"; surrounding spaces allowed); other columns may hold anything. Raises FileFormatError naming the
/// file and line for a row whose column count differs from the first row's (giving both counts), a field that is
/// not a number, an empty field without missing_value, or an unterminated quote; ValueError for a selected column
/// that does not exist.
CsvData read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace strata::datasets
