// The training program that tests/backup_restore/run.sh kills and reruns: a fixed model and data trained for 3
// epochs (shuffled with a fixed seed, with Dropout and Adam, so the order, the dropout masks and the optimizer's
// moments must all come back from the backup) with BackupAndRestore backing up every 4 batches.
// Usage: strata_backup_restore_child BACKUP_DIR WEIGHTS_OUT [PAUSE_AFTER_GLOBAL_BATCH]
// With the third argument the program prints "paused at <n>" after that many batches of training and waits to be
// killed; otherwise it trains to the end and writes every weight (raw float32, in get_weights() order) to
// WEIGHTS_OUT, and prints each epoch's logs.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/random.hpp>
#include <strata/api/sequential.hpp>
#include <strata/callbacks/callbacks.hpp>
#include <strata/layers/core/dense.hpp>
#include <strata/layers/core/dropout.hpp>

using namespace strata;

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: " << argv[0] << " BACKUP_DIR WEIGHTS_OUT [PAUSE_AFTER_GLOBAL_BATCH]\n";
    return 2;
  }
  const std::string backup_dir = argv[1], weights_out = argv[2];
  const long pause_after = argc == 4 ? std::stol(argv[3]) : -1;

  set_random_seed(42);
  // 70 samples of 6 features, 3 classes: 7 batches of 10 per epoch
  const std::int64_t n = 70;
  Tensor x(Shape{n, 6}), y(Shape{n});
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;  // an LCG: the data does not depend on strata's generator
    return static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
  };
  for (auto& v : x.values()) v = next() * 2 - 1;
  for (std::int64_t i = 0; i < n; ++i) y.values()[static_cast<std::size_t>(i)] = static_cast<float>(i % 3);

  Sequential model({Input({6}), layers::Dense(16, {.activation = "relu"}), layers::Dropout(0.3),
                    layers::Dense(3, {.activation = "softmax"})});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});

  auto backup = std::make_shared<callbacks::BackupAndRestore>(
      backup_dir, callbacks::BackupAndRestoreOptions{.save_freq = std::int64_t{4}});
  long global_batch = 0;
  auto pause = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_train_batch_end = [&](std::int64_t, const Logs&) {
        if (++global_batch != pause_after) return;
        std::cout << "paused at " << global_batch << std::endl;
        for (;;) ::pause();  // until the test's SIGKILL
      }});
  auto history = model.fit(x, y, {.batch_size = 10, .epochs = 3, .verbose = 0, .callbacks = {backup, pause}});

  std::ofstream out(weights_out, std::ios::binary | std::ios::trunc);
  for (const Tensor& w : model.get_weights())
    out.write(static_cast<const char*>(w.raw()), static_cast<std::streamsize>(w.nbytes()));
  if (!out) {
    std::cerr << "cannot write " << weights_out << "\n";
    return 1;
  }
  for (const auto& [name, values] : history->history) {
    std::printf("%s", name.c_str());
    for (double v : values) std::printf(" %.17g", v);
    std::printf("\n");
  }
  std::printf("iterations %lld\n", static_cast<long long>(model.optimizer()->iterations()));
  return 0;
}
