// Throughput of the image preprocessing layers in training mode (the augmentation a fit step runs): one batch
// of 32 RGB 224x224 images through each layer's eager call, which copies the batch in and the result out. Prints
// one JSON object per layer with the median time and images/s, beside a plain copy of the batch (the floor).
//
//   build/bench/bench_preprocessing [rounds]   (default 15)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <strata/strata.hpp>

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

double median_seconds(int rounds, const std::function<void()>& f) {
  f();  // warm-up: builds the program
  std::vector<double> t;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    f();
    t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  const std::int64_t n = 32, h = 224, w = 224, c = 3;
  Tensor x({n, h, w, c});
  auto v = x.values<float>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 2654435761u) % 256);
  std::vector<float> copy(v.size());
  const double floor = median_seconds(rounds, [&] {
    std::memcpy(copy.data(), v.data(), v.size() * sizeof(float));
    std::memcpy(v.data(), copy.data(), v.size() * sizeof(float));
  });
  std::printf("{\"layer\": \"copy in + out\", \"batch\": [%lld, %lld, %lld, %lld], \"median_ms\": %.3f, "
              "\"images_per_s\": %.0f}\n", static_cast<long long>(n), static_cast<long long>(h),
              static_cast<long long>(w), static_cast<long long>(c), floor * 1e3, n / floor);
  using namespace strata::layers;
  std::vector<std::pair<std::string, std::shared_ptr<Layer>>> cases = {
      {"RandomFlip", share(RandomFlip("horizontal", {.seed = 1}))},
      {"RandomRotation bilinear reflect", share(RandomRotation(0.1, {.seed = 1}))},
      {"RandomRotation nearest constant",
       share(RandomRotation(0.1, {.fill_mode = "constant", .interpolation = "nearest", .seed = 1}))},
      {"RandomZoom", share(RandomZoom(0.2, {.seed = 1}))},
      {"RandomTranslation", share(RandomTranslation(0.1, 0.1, {.seed = 1}))},
      {"RandomCrop 192", share(RandomCrop(192, 192, {.seed = 1}))},
      {"RandomContrast", share(RandomContrast(0.3, {.seed = 1}))},
      {"RandomBrightness", share(RandomBrightness(0.2, {.seed = 1}))},
      {"Resizing 112 bilinear", share(Resizing(112, 112))},
      {"Resizing 299 bilinear", share(Resizing(299, 299))},
      {"Resizing 112 nearest", share(Resizing(112, 112, {.interpolation = "nearest"}))},
      {"CenterCrop 192", share(CenterCrop(192, 192))},
  };
  for (auto& [name, layer] : cases) {
    const double t = median_seconds(rounds, [&, l = layer] { Tensor y = (*l)(x, true); });
    std::printf("{\"layer\": \"%s\", \"median_ms\": %.3f, \"images_per_s\": %.0f, \"vs_copy\": %.2f}\n",
                name.c_str(), t * 1e3, n / t, t / floor);
  }
  return 0;
}
