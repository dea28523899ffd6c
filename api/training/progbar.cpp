#include <strata/api/training/progbar.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <ostream>

namespace strata {

bool is_terminal(const std::ostream& out) {
  if (&out == &std::cout) return ::isatty(STDOUT_FILENO) == 1;
  if (&out == &std::cerr || &out == &std::clog) return ::isatty(STDERR_FILENO) == 1;
  return false;
}

namespace {

double wall_clock() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}


// Python's float `//` and `%` for the ETA fields (CPython float_floor_div / float_rem).
double py_mod(double x, double y) {
  double mod = std::fmod(x, y);
  if (mod != 0) {
    if ((y < 0) != (mod < 0)) mod += y;
  } else {
    mod = std::copysign(0.0, y);
  }
  return mod;
}
double py_floordiv(double x, double y) {
  double mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0 && ((y < 0) != (mod < 0))) div -= 1.0;
  if (div == 0) return std::copysign(0.0, x / y);
  double floordiv = std::floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}
// Python's "%d" % float truncates toward zero.
long long py_int(double x) { return static_cast<long long>(x); }

void append_fmt(std::string& s, const char* fmt, auto... args) {
  char buf[96];
  int n = std::snprintf(buf, sizeof buf, fmt, args...);
  if (n >= static_cast<int>(sizeof buf)) {
    std::string big(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(big.data(), big.size(), fmt, args...);
    s.append(big.data(), static_cast<std::size_t>(n));
  } else if (n > 0) {
    s.append(buf, static_cast<std::size_t>(n));
  }
}

// Python formats NaN without a sign; printf may write "-nan".
void append_number(std::string& s, double v, bool fixed) {
  if (std::isnan(v)) {
    s += "nan";
    return;
  }
  append_fmt(s, fixed ? "%.4f" : "%.4e", v);
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void append_repeated(std::string& s, std::string_view piece, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) s += piece;
}

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kWhite = "\x1b[37m";
constexpr std::string_view kBarChar = "\u2501";

}  // namespace

Progbar::Progbar(std::optional<std::int64_t> target, std::ostream& out, Options options)
    : target_(target), out_(out), options_(std::move(options)) {
  if (!options_.clock) options_.clock = wall_clock;
  dynamic_display_ = options_.dynamic_display.value_or(is_terminal(out_));
  start_ = options_.clock();
}

void Progbar::add(std::int64_t n, std::span<const Value> values) { update(seen_so_far_ + n, values); }

double Progbar::estimate_step_duration(std::int64_t current, double now) {
  if (current == 0) return 0;
  double time_per_unit;
  if (time_after_first_step_ && current > 1)
    time_per_unit = (now - *time_after_first_step_) / static_cast<double>(current - 1);
  else
    time_per_unit = (now - start_) / static_cast<double>(current);
  if (current == 1) time_after_first_step_ = now;
  return time_per_unit;
}

void Progbar::append_time_per_unit(double time_per_unit) {
  if (time_per_unit >= 1 || time_per_unit == 0)
    append_fmt(line_, " %.0fs/", time_per_unit);
  else if (time_per_unit >= 1e-3)
    append_fmt(line_, " %.0fms/", time_per_unit * 1000.0);
  else
    append_fmt(line_, " %.0fus/", time_per_unit * 1000000.0);
  line_ += options_.unit_name;
}

void Progbar::append_value(const Entry& entry, bool signed_threshold) {
  line_ += " - ";
  line_ += entry.name;
  line_ += ": ";
  const double avg = entry.sum / std::max(1.0, entry.count);
  // Keras's verbose=2 line compares the signed value, so negative values print in %.4e there.
  append_number(line_, avg, (signed_threshold ? avg : std::abs(avg)) > 1e-3);
}

void Progbar::update(std::int64_t current, std::span<const Value> values, std::optional<bool> finalize_arg) {
  const bool finalize = finalize_arg.value_or(target_ ? current >= *target_ : false);

  for (const auto& [name, value] : values) {
    // clang 14 (the fuzz build) cannot capture a structured binding in a lambda
    auto it = std::find_if(values_.begin(), values_.end(), [&name = name](const Entry& e) { return e.name == name; });
    const bool is_new = it == values_.end();
    if (is_new) it = values_.insert(values_.end(), Entry{std::string(name), 0, 0});
    if (options_.average_values && !finalize) {
      const double base = static_cast<double>(std::max<std::int64_t>(current - seen_so_far_, 1));
      if (is_new) {
        it->sum = value * base;
        it->count = base;
      } else {
        it->sum += value * base;
        it->count += base;
      }
    } else {
      it->sum = value;
      it->count = 1;
    }
  }
  seen_so_far_ = current;

  const double now = options_.clock();
  const double time_per_unit = estimate_step_duration(current, now);
  const bool known_target = target_ && *target_ > 0;

  if (options_.verbose == 1) {
    if (now - last_update_ < options_.interval && !finalize) return;

    line_.clear();
    if (dynamic_display_) {
      line_.append(prev_total_width_, '\b');
      line_ += '\r';
    } else {
      line_ += '\n';
    }
    const std::size_t visible_begin = line_.size();
    std::size_t special_chars = 0;

    if (known_target) {
      const std::int64_t target = *target_;
      const int num_digits = static_cast<int>(std::log10(static_cast<double>(target))) + 1;
      line_ += kBold;
      append_fmt(line_, "%*lld/%lld", num_digits, static_cast<long long>(current), static_cast<long long>(target));
      line_ += kReset;
      line_ += ' ';
      special_chars += 8;
      const double progress = static_cast<double>(current) / static_cast<double>(target);
      const auto done = static_cast<std::int64_t>(options_.width * progress);
      if (done > 0) {
        line_ += kGreen;
        append_repeated(line_, kBarChar, done);
        line_ += kReset;
        special_chars += 9;
      }
      line_ += kWhite;
      append_repeated(line_, kBarChar, options_.width - done);
      line_ += kReset;
      special_chars += 9;
    } else {
      append_fmt(line_, "%7lld/Unknown", static_cast<long long>(current));
    }

    line_ += ' ';
    line_ += kBold;
    if (known_target && !finalize) {
      const double eta = time_per_unit * static_cast<double>(*target_ - current);
      if (eta > 3600)
        append_fmt(line_, "%lld:%02lld:%02lld", py_int(py_floordiv(eta, 3600)),
                   py_int(py_floordiv(py_mod(eta, 3600), 60)), py_int(py_mod(eta, 60)));
      else if (eta > 60)
        append_fmt(line_, "%lld:%02lld", py_int(py_floordiv(eta, 60)), py_int(py_mod(eta, 60)));
      else
        append_fmt(line_, "%llds", py_int(eta));
    } else {
      append_fmt(line_, "%.0fs", now - start_);
    }
    line_ += kReset;
    special_chars += 8;

    append_time_per_unit(time_per_unit);
    for (const Entry& entry : values_) append_value(entry, false);

    const std::size_t total_width =
        code_points(std::string_view(line_).substr(visible_begin)) - special_chars;
    if (prev_total_width_ > total_width) line_.append(prev_total_width_ - total_width, ' ');
    if (finalize) line_ += '\n';

    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    out_.flush();
    prev_total_width_ = total_width;
  } else if (options_.verbose == 2) {
    if (finalize && known_target) {
      const std::int64_t target = *target_;
      const int num_digits = static_cast<int>(std::log10(static_cast<double>(target))) + 1;
      line_.clear();
      append_fmt(line_, "%*lld/%lld - %.0fs -", num_digits, static_cast<long long>(current),
                 static_cast<long long>(target), now - start_);
      append_time_per_unit(time_per_unit);
      for (const Entry& entry : values_) append_value(entry, true);
      line_ += '\n';
      out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
      out_.flush();
    }
  }
  last_update_ = now;
}

void print_epoch_header(std::ostream& out, int epoch, int epochs, int verbose) {
  if (verbose == 0 || epochs <= 1) return;
  out << "Epoch " << epoch + 1 << '/' << epochs << '\n';
  out.flush();
}

}  // namespace strata
