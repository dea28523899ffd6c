#include <strata/api/summary_table.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <strata/api/errors.hpp>

namespace strata {
namespace {

// Text is handled as code points, each one console cell wide (rich's single-cell fast path).
using Str = std::u32string;

Str decode(std::string_view s) {
  Str out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (cont & 0x3F);
    }
    out += ok ? c : U'\uFFFD';
    i += ok ? len : 1;
  }
  return out;
}

void encode_to(std::string& out, const Str& s) {
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
}

// Python's str whitespace, which rich's `\s` regexes match.
bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

long len(const Str& s) { return static_cast<long>(s.size()); }

void rstrip(Str& s) {
  while (!s.empty() && is_space(s.back())) s.pop_back();
}

// Python's text[:total], negative totals counting from the end.
Str head(const Str& s, long total) {
  if (total < 0) total = std::max(0L, len(s) + total);
  return s.substr(0, static_cast<std::size_t>(std::min(total, len(s))));
}

// rich.cells.set_cell_size
Str set_cell_size(const Str& s, long total) {
  if (len(s) < total) return s + Str(static_cast<std::size_t>(total - len(s)), U' ');
  return head(s, total);
}

enum class Justify { none, left, center, right };
enum class Overflow { fold, ellipsis };

// rich.text.Text.truncate
void truncate(Str& s, long width, Overflow overflow, bool pad) {
  const long length = len(s);
  if (length > width)
    s = overflow == Overflow::ellipsis ? set_cell_size(s, width - 1) + U'\u2026' : set_cell_size(s, width);
  if (pad && length < width) s.append(static_cast<std::size_t>(width - length), U' ');
}

// rich._wrap.divide_line: offsets at which to break `text` into lines of `width` cells.
std::vector<std::size_t> divide_line(const Str& text, long width, bool fold) {
  std::vector<std::size_t> breaks;
  long cell_offset = 0;
  std::size_t pos = 0;
  const std::size_t n = text.size();
  while (pos < n) {
    // A word is `\s*\S+\s*`: leading space (only at the start), the word, the spaces after it.
    std::size_t start = pos, p = pos;
    while (p < n && is_space(text[p])) ++p;
    if (p == n) break;
    while (p < n && !is_space(text[p])) ++p;
    const std::size_t word_end = p;
    while (p < n && is_space(text[p])) ++p;
    pos = p;
    const long word_length = static_cast<long>(word_end - start);
    const long word_cells = static_cast<long>(pos - start);
    const long remaining = width - cell_offset;
    if (remaining >= word_length) {
      cell_offset += word_cells;
    } else if (word_length > width) {
      if (fold && width > 0) {
        for (long i = 0; i < word_cells; i += width) {
          const long chunk = std::min(width, word_cells - i);
          if (start) breaks.push_back(start);
          if (i + width >= word_cells)
            cell_offset = chunk;
          else
            start += static_cast<std::size_t>(chunk);
        }
      } else {
        if (start) breaks.push_back(start);
        cell_offset = word_cells;
      }
    } else if (cell_offset && start) {
      breaks.push_back(start);
      cell_offset = word_cells;
    }
  }
  return breaks;
}

// rich.text.Text.wrap: the lines of `text` in `width` cells.
std::vector<Str> wrap(const Str& text, long width, Justify justify, Overflow overflow) {
  std::vector<Str> lines;
  std::size_t line_start = 0;
  while (true) {
    const std::size_t nl = text.find(U'\n', line_start);
    const Str line = text.substr(line_start, nl == Str::npos ? Str::npos : nl - line_start);
    const std::vector<std::size_t> offsets = divide_line(line, width, overflow == Overflow::fold);
    std::size_t from = 0;
    for (std::size_t k = 0; k <= offsets.size(); ++k) {
      const std::size_t to = k < offsets.size() ? offsets[k] : line.size();
      Str piece = line.substr(from, to - from);
      from = to;
      if (len(piece) > width) {  // Text.rstrip_end
        std::size_t spaces = 0;
        while (spaces < piece.size() && is_space(piece[piece.size() - 1 - spaces])) ++spaces;
        piece.resize(piece.size() - std::min<std::size_t>(spaces, static_cast<std::size_t>(len(piece) - width)));
      }
      switch (justify) {
        case Justify::none: break;
        case Justify::left: truncate(piece, width, overflow, true); break;
        case Justify::center: {
          rstrip(piece);
          truncate(piece, width, overflow, false);
          const long left = (width - len(piece)) / 2;
          if (left > 0) piece.insert(0, static_cast<std::size_t>(left), U' ');
          if (width > len(piece)) piece.append(static_cast<std::size_t>(width - len(piece)), U' ');
          break;
        }
        case Justify::right:
          rstrip(piece);
          truncate(piece, width, overflow, false);
          if (width > len(piece)) piece.insert(0, static_cast<std::size_t>(width - len(piece)), U' ');
          break;
      }
      truncate(piece, width, overflow, false);
      lines.push_back(std::move(piece));
    }
    if (nl == Str::npos) break;
    line_start = nl + 1;
  }
  return lines;
}

// Python's round(): half to even.
long py_round(double x) { return static_cast<long>(std::nearbyint(x)); }

// rich._ratio.ratio_reduce
std::vector<long> ratio_reduce(long total, std::vector<long> ratios, const std::vector<long>& maximums,
                               const std::vector<long>& values) {
  for (std::size_t i = 0; i < ratios.size(); ++i)
    if (!maximums[i]) ratios[i] = 0;
  long total_ratio = 0;
  for (long r : ratios) total_ratio += r;
  if (!total_ratio) return values;
  long total_remaining = total;
  std::vector<long> result;
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    if (ratios[i] && total_ratio > 0) {
      const long distributed = std::min(
          maximums[i], py_round(static_cast<double>(ratios[i] * total_remaining) / static_cast<double>(total_ratio)));
      result.push_back(values[i] - distributed);
      total_remaining -= distributed;
      total_ratio -= ratios[i];
    } else {
      result.push_back(values[i]);
    }
  }
  return result;
}

// rich._ratio.ratio_distribute without minimums
std::vector<long> ratio_distribute(long total, const std::vector<long>& ratios) {
  long total_ratio = 0;
  for (long r : ratios) total_ratio += r;
  long total_remaining = total;
  std::vector<long> result;
  for (long ratio : ratios) {
    long distributed = total_remaining;
    if (total_ratio > 0) {
      const double share = static_cast<double>(ratio * total_remaining) / static_cast<double>(total_ratio);
      distributed = static_cast<long>(std::ceil(share));
    }
    result.push_back(distributed);
    total_ratio -= ratio;
    total_remaining -= distributed;
  }
  return result;
}

// rich.table.Table._calculate_column_widths for fixed-width columns with padding (0, 1) and expand=True.
std::vector<long> column_widths(const std::vector<long>& fixed, long max_width) {
  const std::size_t n = fixed.size();
  std::vector<long> widths(n);
  for (std::size_t i = 0; i < n; ++i) widths[i] = max_width < 1 ? 1 : std::max(1L, std::min(fixed[i] + 2, max_width));
  long table_width = 0;
  for (long w : widths) table_width += w;
  if (table_width > max_width) {
    widths = ratio_reduce(table_width - max_width, std::vector<long>(n, 1), widths, widths);
    table_width = 0;
    for (long w : widths) table_width += w;
    for (std::size_t i = 0; i < n; ++i) widths[i] = widths[i] < 1 ? 0 : std::min(fixed[i] + 2, widths[i]);
  }
  if (table_width < max_width) {
    const std::vector<long> pad = ratio_distribute(max_width - table_width, widths);
    for (std::size_t i = 0; i < n; ++i) widths[i] += pad[i];
  }
  return widths;
}

void append_cells(std::string& out, const Str& line, long console_width) {
  encode_to(out, len(line) > console_width ? head(line, console_width) : line);
  out += '\n';
}

// console.print(text): wrapped to the console width, overflow folded.
void print_text(std::string& out, std::string_view text, long console_width) {
  for (const Str& line : wrap(decode(text), console_width, Justify::none, Overflow::fold))
    append_cells(out, line, console_width);
}

Str rule(const std::vector<long>& widths, char32_t left, char32_t fill, char32_t mid, char32_t right) {
  Str s(1, left);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) s += mid;
    s.append(static_cast<std::size_t>(std::max(0L, widths[i])), fill);
  }
  s += right;
  return s;
}

}  // namespace

std::string format_thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  const std::size_t first = digits[0] == '-' ? 1 : 0;
  std::string out = digits.substr(0, first);
  const std::size_t count = digits.size() - first;
  for (std::size_t i = 0; i < count; ++i) {
    if (i && (count - i) % 3 == 0) out += ',';
    out += digits[first + i];
  }
  return out;
}

std::string readable_memory_size(double bytes) {
  static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  char buf[64];
  for (const char* unit : units) {
    if (bytes / 1024 < 1) {
      std::snprintf(buf, sizeof buf, "%.2f %s", bytes, unit);
      return buf;
    }
    bytes /= 1024;
  }
  std::snprintf(buf, sizeof buf, "%.2f %s", bytes, units[5]);
  return buf;
}

int terminal_columns() {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v > 0) return static_cast<int>(v);
  }
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::string format_summary(const SummaryTable& table, int line_length) {
  SummaryFormat format;
  format.line_length = line_length;
  return format_summary(table, format);
}

std::string format_summary(const SummaryTable& table, const SummaryFormat& format) {
  struct Column {
    const char* header;
    Justify justify;
  };
  std::vector<Column> columns = {{"Layer (type)", Justify::left}, {"Output Shape", Justify::left},
                                 {"Param #", Justify::right}};
  int default_line_length = 88;
  std::vector<double> positions = format.positions;
  if (table.sequential_like) {
    if (positions.empty()) positions = {0.45, 0.80, 1.0};
  } else {
    default_line_length = 108;
    if (positions.empty()) positions = {0.3, 0.56, 0.74, 1.0};
    columns.push_back({"Connected to", Justify::left});
  }
  if (table.show_trainable) {
    default_line_length += 12;
    for (double& p : positions) p *= 0.90;
    positions.push_back(1.0);
    columns.push_back({"Trainable", Justify::center});
  }
  if (positions.size() != columns.size())
    throw ValueError("format_summary: " + std::to_string(positions.size()) + " positions given for " +
                     std::to_string(columns.size()) + " columns");
  default_line_length = std::min(default_line_length, format.terminal_columns - 4);
  const long line_length = format.line_length > 0 ? format.line_length : default_line_length;

  std::vector<long> fixed;
  long current = 0;
  for (double pos : positions) {
    const long width = static_cast<long>(pos * static_cast<double>(line_length)) - current;
    if (width < 4) throw ValueError("Insufficient console width to print summary.");
    fixed.push_back(width);
    current += width;
  }
  const std::size_t ncols = columns.size();
  const std::vector<long> widths = column_widths(fixed, line_length - static_cast<long>(ncols + 1));

  const long console_width = std::max(1, format.terminal_columns);
  std::string out;
  print_text(out, "Model: \"" + table.model_name + "\"", console_width);

  // One table row: each cell wrapped inside its padding, then aligned to the tallest cell.
  auto emit_row = [&](const std::vector<std::string>& cells, bool header, char32_t edge) {
    std::vector<std::vector<Str>> rendered(ncols);
    std::size_t height = 1;
    for (std::size_t c = 0; c < ncols; ++c) {
      const long inner = widths[c] - 2;
      if (inner >= 1) {
        for (Str& line : wrap(decode(cells[c]), inner, columns[c].justify, Overflow::ellipsis)) {
          line = set_cell_size(line, inner);
          rendered[c].push_back(U" " + line + U" ");
        }
      }
      height = std::max(height, rendered[c].size());
    }
    for (std::size_t c = 0; c < ncols; ++c) {
      const Str blank(static_cast<std::size_t>(std::max(0L, widths[c])), U' ');
      auto& lines = rendered[c];
      const std::size_t missing = height - lines.size();
      if (header)
        lines.insert(lines.begin(), missing, blank);  // header cells sit at the bottom
      else
        lines.insert(lines.end(), missing, blank);
    }
    for (std::size_t r = 0; r < height; ++r) {
      Str line(1, edge);
      for (std::size_t c = 0; c < ncols; ++c) {
        line += set_cell_size(rendered[c][r], std::max(0L, widths[c]));
        line += edge;
      }
      append_cells(out, line, console_width);
    }
  };

  append_cells(out, rule(widths, U'\u250F', U'\u2501', U'\u2533', U'\u2513'), console_width);  // ┏━┳┓
  std::vector<std::string> cells;
  for (const Column& column : columns) cells.emplace_back(column.header);
  emit_row(cells, true, U'\u2503');                                                             // ┃
  append_cells(out, rule(widths, U'\u2521', U'\u2501', U'\u2547', U'\u2529'), console_width);  // ┡━╇┩
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const SummaryRow& row = table.rows[r];
    cells.clear();
    cells.push_back(row.name_and_type);
    cells.push_back(row.output_shape);
    cells.push_back(row.built ? format_thousands(row.params) : "0 (unbuilt)");
    if (!table.sequential_like) {
      std::string connections;
      for (const std::string& c : row.connected_to) connections += (connections.empty() ? "" : ", ") + c;
      cells.push_back(connections.empty() ? "-" : connections);
    }
    if (table.show_trainable) cells.push_back(!row.trainable ? "-" : *row.trainable ? "Y" : "N");
    if (r) append_cells(out, rule(widths, U'\u251C', U'\u2500', U'\u253C', U'\u2524'), console_width);  // ├─┼┤
    emit_row(cells, false, U'\u2502');                                                                    // │
  }
  append_cells(out, rule(widths, U'\u2514', U'\u2500', U'\u2534', U'\u2518'), console_width);  // └─┴┘

  auto bytes_or_default = [](std::optional<double> bytes, std::int64_t params) {
    return bytes ? *bytes : 4.0 * static_cast<double>(params);
  };
  const double trainable_bytes = bytes_or_default(table.trainable_bytes, table.trainable_params);
  const double non_trainable_bytes = bytes_or_default(table.non_trainable_bytes, table.non_trainable_params);
  const std::int64_t optimizer_params = table.optimizer_params.value_or(0);
  const double optimizer_bytes = table.optimizer_params ? bytes_or_default(table.optimizer_bytes, optimizer_params) : 0;
  const std::int64_t total = table.trainable_params + table.non_trainable_params + optimizer_params;
  const double total_bytes = trainable_bytes + non_trainable_bytes + optimizer_bytes;
  auto footer = [&](const char* label, std::int64_t count, double bytes) {
    print_text(out, std::string(label) + format_thousands(count) + " (" + readable_memory_size(bytes) + ")",
               console_width);
  };
  footer(" Total params: ", total, total_bytes);
  footer(" Trainable params: ", table.trainable_params, trainable_bytes);
  footer(" Non-trainable params: ", table.non_trainable_params, non_trainable_bytes);
  if (table.optimizer_params) footer(" Optimizer params: ", optimizer_params, optimizer_bytes);
  return out;
}

}  // namespace strata
