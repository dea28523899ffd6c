#pragma once
#include <map>
#include <string>
#include <vector>

#include <strata/callbacks/callback.hpp>

namespace strata {

/// Records the epoch logs of fit(): what fit() returns (keras.callbacks.History).
class History : public Callback {
 public:
  /// metric name -> one value per epoch ("loss", "accuracy", "val_loss", ...).
  std::map<std::string, std::vector<double>> history;
  /// Epoch indices (0-based, as Keras).
  std::vector<int> epoch;

  void on_train_begin(const Logs& logs) override { epoch.clear(); }
  void on_epoch_end(int e, Logs& logs) override {
    epoch.push_back(e);
    for (const auto& [name, value] : logs) history[name].push_back(value);
  }
};

}  // namespace strata
