#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

struct ProgbarOptions {
  /// Bar width in characters.
  int width = 20;
  /// 0 silent, 1 bar redrawn as steps finish, 2 one line when the bar is finalized.
  int verbose = 1;
  /// Minimum seconds between redraws (verbose 1); the final update always draws.
  double interval = 0.05;
  /// Redraw in place with "\b...\r" (true) or start each update on a new line (false). Unset: true when `out`
  /// is std::cout, std::cerr or std::clog and that stream is a terminal.
  std::optional<bool> dynamic_display = std::nullopt;
  /// Word after the per-unit time: "500ms/step".
  std::string unit_name = "step";
  /// false: values are shown as given, already averaged by the caller (Keras's ProgbarLogger);
  /// true: each value is averaged over the steps seen, weighted by steps (keras.utils.Progbar's own default).
  bool average_values = false;
  /// Seconds since an arbitrary origin; unset: the wall clock, as Python's time.time().
  std::function<double()> clock = nullptr;
};

/// Keras 3's `keras.utils.Progbar` (keras/src/utils/progbar.py), byte for byte: bold "step/target", a bar of
/// `━` (green done, white to go), ETA or elapsed time, time per step in s/ms/us, then " - name: value" with
/// values as %.4f, or %.4e when |value| <= 1e-3. Nothing is formatted unless a line is actually written.
class Progbar {
 public:
  using Options = ProgbarOptions;
  using Value = std::pair<std::string_view, double>;

  /// `target`: total steps, or nullopt when unknown ("    123/Unknown").
  Progbar(std::optional<std::int64_t> target, std::ostream& out, Options options = {});

  /// Records that `current` steps are done with these metric values and redraws if due. `finalize` defaults to
  /// `current >= target` (false when the target is unknown); a finalized bar ends its line.
  void update(std::int64_t current, std::span<const Value> values, std::optional<bool> finalize = std::nullopt);
  void update(std::int64_t current, std::initializer_list<Value> values = {},
              std::optional<bool> finalize = std::nullopt) {
    update(current, std::span<const Value>(values.begin(), values.size()), finalize);
  }
  /// update(steps seen so far + n, values).
  void add(std::int64_t n, std::span<const Value> values = {});

  /// Sets the target later, as ProgbarLogger does at the end of an epoch whose length was unknown.
  void set_target(std::optional<std::int64_t> target) { target_ = target; }
  std::optional<std::int64_t> target() const { return target_; }

 private:
  struct Entry {
    std::string name;
    double sum;
    double count;
  };
  double estimate_step_duration(std::int64_t current, double now);
  void append_time_per_unit(double time_per_unit);
  void append_value(const Entry& entry, bool signed_threshold);

  std::optional<std::int64_t> target_;
  std::ostream& out_;
  Options options_;
  bool dynamic_display_;
  std::vector<Entry> values_;  // in order of first appearance
  std::int64_t seen_so_far_ = 0;
  double start_;
  double last_update_ = 0;
  std::optional<double> time_after_first_step_;
  std::size_t prev_total_width_ = 0;
  std::string line_;  // reused between draws
};

/// True when `out` is std::cout, std::cerr or std::clog and that stream is a terminal.
bool is_terminal(const std::ostream& out);

/// The line Keras's ProgbarLogger prints before each epoch: "Epoch 3/10\n" for epoch index 2 of 10; nothing
/// when `verbose` is 0 or there is a single epoch.
void print_epoch_header(std::ostream& out, int epoch, int epochs, int verbose = 1);

}  // namespace strata
