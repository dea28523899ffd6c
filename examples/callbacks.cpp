// Fit a small regression with EarlyStopping, ReduceLROnPlateau, CSVLogger and ModelCheckpoint: training stops once
// the validation loss stops improving, the learning rate halves on plateaus, every epoch is logged to a CSV file,
// and the best model so far is kept in a .keras file next to it.
// Usage: callbacks [log.csv]
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include <strata/strata.hpp>

using namespace strata;

int main(int argc, char** argv) {
  const std::string log_path =
      argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "strata_callbacks_example.csv").string();

  // y = sin(2 x0) + x1^2 / 2, plus a little noise
  const std::int64_t n = 1024;
  Tensor x({n, 2}), y({n, 1});
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1.5f, 1.5f);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  for (std::int64_t i = 0; i < n; ++i) {
    x.at({i, 0}) = uniform(rng);
    x.at({i, 1}) = uniform(rng);
    y.at({i, 0}) = std::sin(2.0f * x.at({i, 0})) + 0.5f * x.at({i, 1}) * x.at({i, 1}) + noise(rng);
  }

  set_random_seed(42);
  Sequential model({Input({2}), layers::Dense(32, {.activation = "relu"}), layers::Dense(32, {.activation = "relu"}),
                    layers::Dense(1)});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "mse", .metrics = {"mae"}});

  auto early_stopping = std::make_shared<callbacks::EarlyStopping>(
      callbacks::EarlyStoppingOptions{.patience = 12, .verbose = 1, .restore_best_weights = true});
  auto reduce_lr = std::make_shared<callbacks::ReduceLROnPlateau>(
      callbacks::ReduceLROnPlateauOptions{.factor = 0.5, .patience = 4, .verbose = 1, .min_lr = 1e-4});
  auto csv_logger = std::make_shared<callbacks::CSVLogger>(log_path);
  const std::string checkpoint_path = std::filesystem::path(log_path).replace_extension(".best.keras").string();
  auto checkpoint = std::make_shared<callbacks::ModelCheckpoint>(
      checkpoint_path, callbacks::ModelCheckpointOptions{.save_best_only = true});

  auto history = model.fit(x, y,
                           {.batch_size = 32, .epochs = 300, .verbose = 0,
                            .callbacks = {early_stopping, reduce_lr, csv_logger, checkpoint}, .validation_split = 0.2});

  const auto& val_loss = history->history.at("val_loss");
  const auto& rates = history->history.at("learning_rate");
  std::cout << "epochs run: " << history->epoch.size() << ", best epoch: " << early_stopping->best_epoch() + 1
            << ", best val_loss: " << *early_stopping->best() << "\n"
            << "learning rate: " << rates.front() << " -> " << rates.back() << "\n";

  std::ifstream log(log_path);
  std::string header;
  std::getline(log, header);
  std::cout << log_path << ": " << header << " + one row per epoch\n";

  // restored to the best epoch, the model scores its best validation loss again
  auto scores = model.evaluate(x.slice(static_cast<std::int64_t>(0.8 * n), n), y.slice(static_cast<std::int64_t>(0.8 * n), n),
                               {.verbose = 0});
  std::cout << "validation loss after restoring: " << scores["loss"] << "\n";
  // the best checkpoint is the same model, loaded from disk
  auto best = load_model(checkpoint_path);
  auto best_scores = best->evaluate(x.slice(static_cast<std::int64_t>(0.8 * n), n),
                                    y.slice(static_cast<std::int64_t>(0.8 * n), n), {.verbose = 0});
  std::cout << checkpoint_path << ": validation loss " << best_scores["loss"] << "\n";
  const bool stopped_early = history->epoch.size() < 300;
  const bool learned = *early_stopping->best() < 0.02 && std::abs(scores["loss"] - *early_stopping->best()) < 1e-4;
  const bool reduced = rates.back() < rates.front();
  const bool checkpointed = std::abs(best_scores["loss"] - *early_stopping->best()) < 1e-4;
  return stopped_early && learned && reduced && checkpointed && val_loss.size() == history->epoch.size() ? 0 : 1;
}
