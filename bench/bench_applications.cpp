// keras.applications in strata: inference latency at batch 1 (p50, p99), throughput at batch 32, and one training
// step at batch 32, per model. One JSON object per measurement (bench/compare_keras_applications.py runs Keras beside
// it). Usage: bench_applications [ITERATIONS] [IMAGE_SIZE] [MODEL...]   (defaults: 20, 224, all)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <strata/strata.hpp>

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Tensor random_images(std::int64_t batch, std::int64_t size) {
  Tensor t({batch, size, size, 3});
  std::uint32_t state = 12345;
  for (std::int64_t i = 0; i < t.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    t.data<float>()[i] = static_cast<float>(state >> 8) / 16777216.0f * 2.0f - 1.0f;
  }
  return t;
}

void bench(const std::string& name, const std::function<std::shared_ptr<Model>()>& make, int iterations,
           std::int64_t size) {
  auto model = make();
  // latency, batch 1
  Tensor one = random_images(1, size);
  for (int i = 0; i < 3; ++i) model->predict_on_batch(one);
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) {
    auto start = Clock::now();
    model->predict_on_batch(one);
    ms.push_back(ms_since(start));
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "{\"bench\": \"predict_latency\", \"framework\": \"strata\", \"model\": \"%s\", \"batch\": 1, \"size\": %lld, "
      "\"p50_ms\": %.3f, \"p99_ms\": %.3f}\n",
      name.c_str(), static_cast<long long>(size), ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
  std::fflush(stdout);
  // throughput, batch 32
  Tensor batch = random_images(32, size);
  model->predict_on_batch(batch);
  const int reps = std::max(1, iterations / 10);
  auto start = Clock::now();
  for (int i = 0; i < reps; ++i) model->predict_on_batch(batch);
  std::printf(
      "{\"bench\": \"predict_throughput\", \"framework\": \"strata\", \"model\": \"%s\", \"batch\": 32, \"size\": "
      "%lld, \"samples_per_s\": %.3f}\n",
      name.c_str(), static_cast<long long>(size), 32.0 * reps / (ms_since(start) / 1e3));
  std::fflush(stdout);
  // one training step, batch 32 (Adam, sparse categorical cross-entropy on the 1000-way softmax)
  model->compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  std::vector<std::int32_t> labels(32);
  for (int i = 0; i < 32; ++i) labels[i] = (i * 37) % 1000;
  Tensor y({32}, labels);
  model->train_on_batch(batch, y);
  start = Clock::now();
  for (int i = 0; i < reps; ++i) model->train_on_batch(batch, y);
  std::printf(
      "{\"bench\": \"train_step\", \"framework\": \"strata\", \"model\": \"%s\", \"batch\": 32, \"size\": %lld, "
      "\"step_ms\": %.3f}\n",
      name.c_str(), static_cast<long long>(size), ms_since(start) / reps);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 20;
  const std::int64_t size = argc > 2 ? std::atoll(argv[2]) : 224;
  std::vector<std::string> only(argv + std::min(argc, 3), argv + argc);
  using namespace strata::applications;
  const std::vector<std::pair<std::string, std::function<std::shared_ptr<Model>()>>> models = {
      {"resnet50", [&] { return ResNet50({.input_shape = {size, size, 3}}); }},
      {"vgg16", [&] { return VGG16({.input_shape = {size, size, 3}}); }},
      {"mobilenetv2", [&] { return MobileNetV2({.input_shape = {size, size, 3}}); }},
      {"efficientnetb0", [&] { return EfficientNetB0({.input_shape = {size, size, 3}}); }},
  };
  set_random_seed(1);
  for (const auto& [name, make] : models)
    if (only.empty() || std::find(only.begin(), only.end(), name) != only.end()) bench(name, make, iterations, size);
  return 0;
}
