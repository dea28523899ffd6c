#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// One layer's row of `model.summary()`.
struct SummaryRow {
  std::string name_and_type = {};  // "dense (Dense)"; nested rows carry Keras's prefix, "   └ inner (Dense)"
  std::string output_shape = {};   // "(None, 64)", or "?" when unknown
  std::int64_t params = 0;
  std::vector<std::string> connected_to = {};  // "dense[0][0]", ...; none prints "-" (non-sequential models only)
  bool built = true;                      // false prints "0 (unbuilt)"
  std::optional<bool> trainable = std::nullopt;  // Trainable column "Y" / "N"; nullopt (no weights) prints "-"
};

/// What Keras 3's `model.summary()` shows (keras/src/utils/summary_utils.py).
struct SummaryTable {
  std::string model_name = {};
  bool sequential_like = true;  // false adds the "Connected to" column
  bool show_trainable = false;  // adds the "Trainable" column
  std::vector<SummaryRow> rows = {};
  std::int64_t trainable_params = 0;
  std::int64_t non_trainable_params = 0;
  std::optional<std::int64_t> optimizer_params = std::nullopt;  // once the optimizer is built; counted in the total
  /// Memory of each group in bytes, summed over the real dtypes of its weights; unset: 4 bytes a parameter.
  std::optional<double> trainable_bytes = std::nullopt;
  std::optional<double> non_trainable_bytes = std::nullopt;
  std::optional<double> optimizer_bytes = std::nullopt;
};

struct SummaryFormat {
  /// Total table width; <= 0: Keras's default, min(88 (sequential) or 108, +12 with show_trainable,
  /// terminal_columns - 4).
  int line_length = -1;
  /// Right edges of the columns as fractions of line_length; empty: Keras's defaults ({0.45, 0.80, 1.0}, or
  /// {0.3, 0.56, 0.74, 1.0} with Connected to; scaled by 0.9 with show_trainable, which appends 1.0).
  std::vector<double> positions = {};
  /// Console width: longer lines are cropped and the text lines wrapped to it, as rich does. 80 is what Keras
  /// gets when stdout is not a terminal and COLUMNS is unset.
  int terminal_columns = 80;
};

/// Keras 3's summary text as rich prints it to a non-color console (stdout not a terminal, or print_fn given):
/// `Model: "name"`, the heavy-box table with a rule between rows and cells wrapped as rich wraps them, then
/// " Total params: 2,762 (10.79 KB)" and the other footer lines. Every line ends with "\n".
/// Throws ValueError "Insufficient console width to print summary." when a column would be under 4 wide.
std::string format_summary(const SummaryTable& table, const SummaryFormat& format);
std::string format_summary(const SummaryTable& table, int line_length = -1);

/// The console width Keras's summary sees (shutil.get_terminal_size): $COLUMNS if a positive integer, else
/// stdout's terminal width, else 80.
int terminal_columns();

/// "12,345,678": Python's format(n, ",").
std::string format_thousands(std::int64_t n);
/// "10.79 KB": Keras's readable_memory_size (B, KB, MB, GB, TB, PB in steps of 1024, two decimals).
std::string readable_memory_size(double bytes);

}  // namespace strata
