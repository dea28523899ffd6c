// The training step does not allocate: with a schedule, gradient clipping, weight decay, Nadam's own state and
// the per-epoch callbacks, heap allocations per step (outside oneDNN's own execute calls) are zero.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include <strata/strata.hpp>

namespace {
std::atomic<long long> strata_allocations{0};
}  // namespace

// counts every allocation made outside oneDNN's execute (those are oneDNN's business, as in bench_core)
void* operator new(std::size_t n) {
  if (!strata::inside_library_call()) ++strata_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace strata;

namespace {

Tensor noise(Shape shape, float scale) {
  Tensor t(shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = scale * static_cast<float>((i * 7919) % 97) / 97.0f - 0.5f * scale;
  return t;
}

/// Heap allocations per training step of fit(), from one-epoch fits of N and 2N steps (per-fit and per-epoch
/// costs cancel).
double allocations_per_step(OptimizerArg optimizer, std::vector<std::shared_ptr<Callback>> callbacks) {
  Sequential model({Input({8}), layers::Dense(16, {.activation = "relu"}), layers::Dense(4)});
  model.compile({.optimizer = optimizer, .loss = "mse", .metrics = {"mae"}});
  const std::int64_t batch = 8, steps = 16;
  Tensor x = noise({batch * steps, 8}, 2), y = noise({batch * steps, 4}, 1);
  Tensor x2 = noise({2 * batch * steps, 8}, 2), y2 = noise({2 * batch * steps, 4}, 1);
  FitOptions options{.batch_size = batch, .epochs = 1, .verbose = 0, .callbacks = callbacks, .shuffle = true};
  model.fit(x2, y2, options);
  long long a0 = strata_allocations;
  model.fit(x, y, options);
  long long a1 = strata_allocations;
  model.fit(x2, y2, options);
  long long a2 = strata_allocations;
  CHECK(a1 > a0);  // the counter is live: fit() itself allocates (History, logs)
  return static_cast<double>((a2 - a1) - (a1 - a0)) / steps;
}

}  // namespace

TEST_CASE("training steps allocate nothing with schedules, clipping, weight decay and callbacks") {
  using namespace optimizers;
  auto csv = std::filesystem::temp_directory_path() / "strata_step_allocations.csv";
  std::vector<std::shared_ptr<Callback>> callbacks{
      std::make_shared<callbacks::EarlyStopping>(callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 100}),
      std::make_shared<callbacks::ReduceLROnPlateau>(callbacks::ReduceLROnPlateauOptions{.monitor = "loss"}),
      std::make_shared<callbacks::CSVLogger>(csv.string()), std::make_shared<callbacks::TerminateOnNaN>()};
  CHECK(allocations_per_step(
            Nadam({.learning_rate = schedules::ExponentialDecay(0.01, 10, 0.9), .weight_decay = 0.01,
                   .global_clipnorm = 1.0}),
            callbacks) == 0.0);
  CHECK(allocations_per_step(AdamW({.learning_rate = schedules::CosineDecay(0.0, 50, {.warmup_target = 0.01,
                                                                                      .warmup_steps = 5}),
                                    .clipnorm = 0.5}),
                             {}) == 0.0);
  CHECK(allocations_per_step(Ftrl({.l1_regularization_strength = 0.01, .clipvalue = 0.1}), {}) == 0.0);
  CHECK(allocations_per_step(Lion({.weight_decay = 0.1}), {}) == 0.0);
  // optimizer extras (issue 5): gated accumulation, EMA and loss-scale steps, and the EMA swap at epoch ends
  CHECK(allocations_per_step(LossScaleOptimizer(Adafactor({.use_ema = true, .ema_overwrite_frequency = 3,
                                                           .gradient_accumulation_steps = 2})),
                             {std::make_shared<callbacks::SwapEMAWeights>(
                                 callbacks::SwapEMAWeightsOptions{.swap_on_epoch = true})}) == 0.0);
  CHECK(allocations_per_step(SGD({.momentum = 0.9, .loss_scale_factor = 64.0}), {}) == 0.0);
  std::filesystem::remove(csv);
}

TEST_CASE("fit on a Dataset allocates per step only what the pipeline itself allocates") {
  Sequential model({Input({8}), layers::Dense(16, {.activation = "relu"}), layers::Dense(4)});
  model.compile({.optimizer = "adam", .loss = "mse", .metrics = {"mae"}});
  const std::int64_t batch = 8, steps = 16;
  auto make = [&](std::int64_t n) {
    return datasets::Dataset::from_tensor_slices({noise({batch * n, 8}, 2), noise({batch * n, 4}, 1)}).batch(batch);
  };
  auto d1 = make(steps), d2 = make(2 * steps);
  FitOptions options{.epochs = 1, .verbose = 0};
  // fits of N and 2N steps: per-fit costs cancel, leaving N steps' worth of (pipeline + engine) allocations
  model.fit(d2, options);
  long long a0 = strata_allocations;
  model.fit(d1, options);
  long long a1 = strata_allocations;
  model.fit(d2, options);
  long long a2 = strata_allocations;
  // the same batches drawn without fit: the pipeline's own share
  auto drain = [](const datasets::Dataset& d) {
    long long before = strata_allocations;
    for (auto it = d.iterator(); it.next();) {
    }
    return strata_allocations - before;
  };
  long long p1 = drain(d1), p2 = drain(d2);
  CHECK(p2 > p1);  // the pipeline does allocate (elements, batches): the counter sees it
  double fit_per_step = static_cast<double>((a2 - a1) - (a1 - a0)) / steps;
  double pipeline_per_step = static_cast<double>(p2 - p1) / steps;
  CHECK(fit_per_step == pipeline_per_step);
}
