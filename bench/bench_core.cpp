// Core engine benchmark: training throughput, predict latency and throughput, framework overhead
// against the same prepared kernels run back to back, and heap allocations per training step.
// Prints one JSON object per measurement.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <vector>

#include <strata/api/training/engine.hpp>
#include <strata/strata.hpp>

namespace {
std::atomic<long long> allocations{0};          // all heap allocations through operator new
std::atomic<long long> library_allocations{0};  // those made inside oneDNN's own execute calls
}

void* operator new(std::size_t n) {
  ++allocations;
  if (strata::inside_library_call()) ++library_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Tensor noise(Shape shape, std::uint64_t seed) {
  Tensor t(std::move(shape));
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 2654435761u + seed) % 1000) / 1000.0f;
  return t;
}

Tensor labels(std::int64_t n) {
  Tensor y({n}, DType::int32);
  for (std::int64_t i = 0; i < n; ++i) y.data<std::int32_t>()[i] = static_cast<std::int32_t>((i * 7) % 10);
  return y;
}

Sequential fashion_mnist_cnn() {
  return Sequential({
      Input({28, 28, 1}),
      layers::Conv2D(32, 3, {.padding = "same", .use_bias = false}),
      layers::BatchNormalization(),
      layers::Activation("relu"),
      layers::MaxPooling2D(2),
      layers::Conv2D(64, 3, {.padding = "same", .use_bias = false}),
      layers::BatchNormalization(),
      layers::Activation("relu"),
      layers::MaxPooling2D(2),
      layers::Flatten(),
      layers::Dropout(0.3),
      layers::Dense(128, {.activation = "relu"}),
      layers::Dropout(0.3),
      layers::Dense(10, {.activation = "softmax"}),
  });
}

Sequential mlp() {
  return Sequential({Input({784}), layers::Dense(512, {.activation = "relu"}), layers::Dense(512, {.activation = "relu"}),
                     layers::Dense(10, {.activation = "softmax"})});
}

/// Samples/s of fit() after a warm-up epoch, and allocations per step from two run lengths.
void train_throughput(const char* name, Sequential model, Shape sample_shape, std::int64_t batch, int steps) {
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  Shape shape{batch * steps};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  Tensor x = noise(shape, 1);
  Tensor y = labels(batch * steps);
  model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0});  // compile programs, warm caches

  auto t = Clock::now();
  model.fit(x, y, {.batch_size = batch, .epochs = 2, .verbose = 0});
  double elapsed = seconds_since(t);
  std::printf("{\"bench\":\"train\",\"model\":\"%s\",\"batch\":%lld,\"steps\":%d,\"samples_per_s\":%.1f,\"step_ms\":%.3f}\n",
              name, static_cast<long long>(batch), 2 * steps, 2.0 * static_cast<double>(batch * steps) / elapsed,
              1e3 * elapsed / (2 * steps));

  // two fits of one epoch, of `steps` and 2 * `steps` batches: everything per fit or per epoch cancels
  Shape twice = shape;
  twice[0] *= 2;
  Tensor x2 = noise(twice, 5), y2 = labels(2 * batch * steps);
  model.fit(x2, y2, {.batch_size = batch, .epochs = 1, .verbose = 0});
  long long a0 = allocations, l0 = library_allocations;
  model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0});
  long long a1 = allocations, l1 = library_allocations;
  model.fit(x2, y2, {.batch_size = batch, .epochs = 1, .verbose = 0});
  long long a2 = allocations, l2 = library_allocations;
  double total = static_cast<double>((a2 - a1) - (a1 - a0)) / steps;
  double library = static_cast<double>((l2 - l1) - (l1 - l0)) / steps;
  std::printf("{\"bench\":\"allocations\",\"model\":\"%s\",\"strata_per_step\":%.3f,"
              "\"onednn_internal_per_step\":%.3f}\n",
              name, total - library, library);
}

/// fit() step time against the same prepared kernels launched back to back (no framework between them).
void overhead(Sequential model, std::int64_t batch, int steps) {
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  Tensor x = noise({batch * steps, 28, 28, 1}, 2);
  Tensor y = labels(batch * steps);
  model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0});
  auto& step = model.engine().step(TrainingEngine::Mode::train, {x}, {y}, batch);
  auto exec = step.acquire();

  std::vector<double> kernel_seconds;
  double fit_best = 1e30, direct_best = 1e30;
  long long run_allocations = 0;
  for (int round = 0; round < 3; ++round) {
    auto t = Clock::now();
    model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0});
    fit_best = std::min(fit_best, seconds_since(t) / steps);

    long long a = allocations;
    t = Clock::now();
    for (int s = 0; s < steps; ++s) exec->run();
    direct_best = std::min(direct_best, seconds_since(t) / steps);
    run_allocations = allocations - a;
  }
  for (int s = 0; s < steps; ++s) exec->run_profiled(kernel_seconds);
  std::printf("{\"bench\":\"overhead\",\"model\":\"fashion_mnist_cnn\",\"batch\":%lld,\"fit_step_ms\":%.3f,"
              "\"kernels_back_to_back_ms\":%.3f,\"ratio\":%.4f,\"allocations_per_program_run\":%.2f}\n",
              static_cast<long long>(batch), 1e3 * fit_best, 1e3 * direct_best, fit_best / direct_best,
              static_cast<double>(run_allocations) / steps);

  const MemoryPlan& plan = step.program->memory_plan();
  std::printf("{\"bench\":\"memory_plan\",\"model\":\"fashion_mnist_cnn\",\"batch\":%lld,\"arena_mb\":%.2f,"
              "\"sum_of_buffers_mb\":%.2f,\"ratio\":%.3f}\n",
              static_cast<long long>(batch), plan.arena_bytes / 1048576.0, plan.sum_of_buffers / 1048576.0,
              static_cast<double>(plan.arena_bytes) / static_cast<double>(plan.sum_of_buffers));

  // where a step's time goes, by op kind and by kernel
  std::map<std::string, double> by_kind;
  const Program& program = *step.program;
  double total = 0;
  for (std::size_t k = 0; k < kernel_seconds.size(); ++k) {
    const Op& op = program.graph().ops()[exec->op_of_launch(k)];
    by_kind[std::string(op_kind_name(op.kind))] += kernel_seconds[k] / steps;
    total += kernel_seconds[k] / steps;
  }
  for (const auto& [kind, s] : by_kind)
    std::printf("{\"bench\":\"step_profile\",\"op\":\"%s\",\"ms\":%.3f,\"share\":%.3f}\n", kind.c_str(), 1e3 * s,
                s / total);
  step.release(std::move(exec));
}

void predict_latency(Sequential model) {
  Tensor one = noise({1, 28, 28, 1}, 3);
  for (int i = 0; i < 20; ++i) model.predict(one);
  for (const char* path : {"predict", "predict_on_batch", "call"}) {
    std::vector<double> ms;
    for (int i = 0; i < 500; ++i) {
      auto t = Clock::now();
      std::string p = path;
      if (p == "predict") model.predict(one);
      else if (p == "predict_on_batch") model.predict_on_batch(one);
      else model(one);
      ms.push_back(1e3 * seconds_since(t));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("{\"bench\":\"predict_latency\",\"model\":\"fashion_mnist_cnn\",\"path\":\"%s\",\"batch\":1,"
                "\"p50_ms\":%.4f,\"p99_ms\":%.4f}\n",
                path, ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
  }
  Tensor many = noise({256 * 8, 28, 28, 1}, 4);
  model.predict(many, {.batch_size = 256});
  auto t = Clock::now();
  model.predict(many, {.batch_size = 256});
  std::printf("{\"bench\":\"predict_throughput\",\"model\":\"fashion_mnist_cnn\",\"batch\":256,\"samples_per_s\":%.1f}\n",
              static_cast<double>(many.shape()[0]) / seconds_since(t));
}

}  // namespace

int main(int argc, char** argv) {
  int steps = argc > 1 ? std::atoi(argv[1]) : 40;
  set_random_seed(0);
  train_throughput("fashion_mnist_cnn", fashion_mnist_cnn(), {28, 28, 1}, 128, steps);
  train_throughput("mlp_784_512_512_10", mlp(), {784}, 128, steps);
  overhead(fashion_mnist_cnn(), 128, steps);
  predict_latency(fashion_mnist_cnn());
  return 0;
}
