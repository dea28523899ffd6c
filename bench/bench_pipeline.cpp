// Input pipeline benchmark: fit() fed by a Dataset against fit() on pre-loaded tensors, same model, same run.
//  - Fashion-MNIST from the IDX files: from_tensor_slices -> shuffle -> batch -> prefetch.
//  - A folder of JPEGs written at start: map(decode + augmentation, parallel) -> batch -> prefetch, against the
//    images decoded once into a tensor; plus decode throughput (images/s) of the pipeline alone.
// Rounds alternate the two paths and the median per-step time of each is reported, with the ratio.
// Prints one JSON object per measurement.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <strata/backends/ops/random.hpp>
#include <strata/datasets/image_io.hpp>
#include <strata/strata.hpp>

using namespace strata;
using datasets::Dataset;
using datasets::Element;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Median step time (s) of fit on tensors and fit on a Dataset, rounds alternating, after one warm-up each.
template <class TensorFit, class DatasetFit>
std::pair<double, double> compare(int rounds, std::int64_t steps, TensorFit tensor_fit, DatasetFit dataset_fit) {
  tensor_fit();
  dataset_fit();
  std::vector<double> t_tensor, t_dataset;
  for (int r = 0; r < rounds; ++r) {
    auto t = Clock::now();
    tensor_fit();
    t_tensor.push_back(seconds_since(t) / static_cast<double>(steps));
    t = Clock::now();
    dataset_fit();
    t_dataset.push_back(seconds_since(t) / static_cast<double>(steps));
  }
  return {median(t_tensor), median(t_dataset)};
}

void fashion_mnist(const char* name, Sequential model, bool flat, std::int64_t batch, std::int64_t steps, int rounds) {
  auto [train, test] = datasets::fashion_mnist::load_data();
  std::int64_t n = batch * steps;
  Tensor x = train.x.slice(0, n).astype(DType::float32);
  for (float& v : x.values()) v /= 255.0f;
  x = flat ? x.reshape({n, 784}) : x.reshape({n, 28, 28, 1});
  Tensor y = train.y.slice(0, n).astype(DType::int32);
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  Dataset ds = Dataset::from_tensor_slices({x, y}).shuffle(n, {.seed = 1}).batch(batch).prefetch(2);
  auto [tensor_s, dataset_s] = compare(
      rounds, steps, [&] { model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0}); },
      [&] { model.fit(ds, {.epochs = 1, .verbose = 0}); });
  std::printf("{\"bench\":\"fashion_mnist_fit\",\"model\":\"%s\",\"batch\":%lld,\"steps\":%lld,"
              "\"tensor_step_ms\":%.3f,\"dataset_step_ms\":%.3f,\"ratio\":%.3f}\n",
              name, static_cast<long long>(batch), static_cast<long long>(steps), 1e3 * tensor_s, 1e3 * dataset_s,
              dataset_s / tensor_s);
  std::fflush(stdout);
}

/// `count` JPEGs of size x size RGB in 10 class folders; returns their paths and labels.
std::pair<std::vector<std::string>, std::vector<std::int32_t>> write_jpegs(const fs::path& root, int count, int size) {
  std::vector<std::string> paths;
  std::vector<std::int32_t> labels;
  for (int i = 0; i < count; ++i) {
    int label = i % 10;
    Tensor img({size, size, 3}, DType::uint8);
    auto* p = img.data<std::uint8_t>();
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        for (int c = 0; c < 3; ++c)
          p[(y * size + x) * 3 + c] = static_cast<std::uint8_t>((x * (label + 1) * 7 + y * 5 * (c + 1) + i) % 256);
    fs::path dir = root / ("class_" + std::to_string(label));
    fs::create_directories(dir);
    paths.push_back((dir / ("img_" + std::to_string(i) + ".jpg")).string());
    datasets::write_jpeg(paths.back(), img, 90);
    labels.push_back(label);
  }
  return {paths, labels};
}

/// Random horizontal flip and a random crop of `out` x `out` from a `size` x `size` image (float32, 0..1).
Tensor augment(const Tensor& img, std::int64_t index, std::uint64_t epoch_key, int out) {
  const auto size = img.shape()[0];
  const std::uint64_t key = random::stream_key(epoch_key, static_cast<std::uint64_t>(index));
  bool flip = random::uniform(key, 0) < 0.5f;
  auto oy = static_cast<std::int64_t>(random::uniform(key, 1) * static_cast<float>(size - out + 1));
  auto ox = static_cast<std::int64_t>(random::uniform(key, 2) * static_cast<float>(size - out + 1));
  Tensor dst({out, out, 3});
  const auto* s = img.data<std::uint8_t>();
  float* d = dst.data<float>();
  for (int y = 0; y < out; ++y)
    for (int x = 0; x < out; ++x) {
      std::int64_t sx = ox + (flip ? out - 1 - x : x);
      for (int c = 0; c < 3; ++c) d[(y * out + x) * 3 + c] = static_cast<float>(s[((oy + y) * size + sx) * 3 + c]) / 255.0f;
    }
  return dst;
}

void jpeg_folder(int count, std::int64_t batch, int rounds, std::int64_t threads) {
  const int size = 36, crop = 32;
  fs::path root = fs::temp_directory_path() / ("strata_bench_pipeline_" + std::to_string(::getpid()));
  auto [paths, labels] = write_jpegs(root, count, size);
  auto shared_paths = std::make_shared<const std::vector<std::string>>(paths);
  const auto n = static_cast<std::int64_t>(count);
  Tensor ids({n}, DType::int64), y({n}, DType::int32);
  for (std::int64_t i = 0; i < n; ++i) {
    ids.data<std::int64_t>()[i] = i;
    y.data<std::int32_t>()[i] = labels[static_cast<std::size_t>(i)];
  }
  auto load = [shared_paths](Element e) -> Element {
    std::int64_t i = e[0].data<std::int64_t>()[0];
    Tensor img = datasets::decode_image(fs::path((*shared_paths)[static_cast<std::size_t>(i)]), {.channels = 3});
    return {augment(img, i, 12345, crop), std::move(e[1])};
  };
  Dataset ds = Dataset::from_tensor_slices({ids, y})
                   .shuffle(n, {.seed = 3})
                   .map(load, {.num_parallel_calls = threads})
                   .batch(batch, {.drop_remainder = true})
                   .prefetch(2);
  const std::int64_t steps = n / batch;

  // decode throughput of the pipeline alone (decode + augmentation + batching)
  std::vector<double> rates;
  for (int r = 0; r < 3; ++r) {
    auto t = Clock::now();
    std::int64_t images = 0;
    for (const Element& b : ds) images += b[0].shape()[0];
    rates.push_back(static_cast<double>(images) / seconds_since(t));
  }
  std::printf("{\"bench\":\"jpeg_decode\",\"images\":%d,\"size\":%d,\"threads\":%lld,\"images_per_s\":%.1f}\n", count,
              size, static_cast<long long>(threads), median(rates));
  std::fflush(stdout);

  // the same images decoded once (centre crop, no augmentation) as pre-loaded tensors
  Tensor x({steps * batch, crop, crop, 3});
  for (std::int64_t i = 0; i < steps * batch; ++i) {
    Tensor img = datasets::decode_image(fs::path(paths[static_cast<std::size_t>(i)]), {.channels = 3});
    Tensor a = augment(img, i, 12345, crop);
    std::copy(a.data<float>(), a.data<float>() + a.size(), x.data<float>() + i * a.size());
  }
  Tensor yt = y.slice(0, steps * batch);
  Sequential model({Input({crop, crop, 3}), layers::Conv2D(32, 3, {.padding = "same", .activation = "relu"}),
                    layers::MaxPooling2D(2), layers::Conv2D(64, 3, {.padding = "same", .activation = "relu"}),
                    layers::MaxPooling2D(2), layers::Flatten(), layers::Dense(64, {.activation = "relu"}),
                    layers::Dense(10, {.activation = "softmax"})});
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  auto [tensor_s, dataset_s] = compare(
      rounds, steps, [&] { model.fit(x, yt, {.batch_size = batch, .epochs = 1, .verbose = 0}); },
      [&] { model.fit(ds, {.epochs = 1, .verbose = 0}); });
  std::printf("{\"bench\":\"jpeg_fit\",\"model\":\"cnn_32x32\",\"batch\":%lld,\"steps\":%lld,\"map_threads\":%lld,"
              "\"tensor_step_ms\":%.3f,\"dataset_step_ms\":%.3f,\"ratio\":%.3f}\n",
              static_cast<long long>(batch), static_cast<long long>(steps), static_cast<long long>(threads),
              1e3 * tensor_s, 1e3 * dataset_s, dataset_s / tensor_s);
  std::fflush(stdout);
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const int images = argc > 2 ? std::atoi(argv[2]) : 2000;
  const std::int64_t threads = argc > 3 ? std::atoll(argv[3]) : 2;
  set_random_seed(1);
  fashion_mnist("mlp_784_256_10", Sequential({Input({784}), layers::Dense(256, {.activation = "relu"}),
                                               layers::Dense(10, {.activation = "softmax"})}),
                true, 128, 100, rounds);
  fashion_mnist("cnn", Sequential({Input({28, 28, 1}), layers::Conv2D(32, 3, {.activation = "relu"}),
                                   layers::MaxPooling2D(2), layers::Flatten(),
                                   layers::Dense(10, {.activation = "softmax"})}),
                false, 128, 40, rounds);
  jpeg_folder(images, 64, rounds, threads);
  return 0;
}
