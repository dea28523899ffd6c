#pragma once
#include <optional>
#include <string>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

/// Keras's MonitorCallback: the shared logic of callbacks that watch one logged quantity (EarlyStopping,
/// ReduceLROnPlateau). mode "min"/"max", or "auto": minimize losses and error metrics, maximize accuracies
/// and scores, decided at the first epoch end (ValueError there if the name gives no direction).
class MonitorCallback : public Callback {
 public:
  MonitorCallback(std::string class_name, std::string monitor, std::string mode, double min_delta,
                  std::optional<double> baseline = std::nullopt);
  const std::string& monitor() const { return monitor_; }
  /// The best value seen in this fit (or the baseline before any).
  std::optional<double> best() const { return best_; }

 protected:
  /// Resolves "auto" on first use; Keras does it at the first epoch end, once metrics are known.
  void set_monitor_op();
  /// Whether `value` improves on `reference` by more than min_delta (always, with no reference).
  bool is_improvement(double value, std::optional<double> reference) const;
  /// The monitored value in `logs`; absent: warns once (spdlog), naming the available keys, as Keras does.
  std::optional<double> monitor_value(const Logs& logs, const char* purpose);

  std::string class_name_, monitor_, mode_;
  double min_delta_;
  std::optional<double> best_;
  bool resolved_ = false;
  bool lower_is_better_ = true;
  bool warned_ = false;
};

/// The direction Keras gives a metric when mode is "auto" ("val_" stripped): true to minimize, false to
/// maximize; nullopt if the name is not a loss or a built-in metric.
std::optional<bool> lower_is_better(const std::string& monitor);

}  // namespace strata::callbacks
