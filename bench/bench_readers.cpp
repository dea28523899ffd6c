// File reader benchmark: image decode throughput (JPEG and PNG, the sizes image folders hold), .npy and CSV read
// throughput, one thread. Prints one JSON object per measurement.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <strata/strata.hpp>

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A photo-like test card: smooth gradients plus texture, so JPEG and PNG sizes are realistic.
Tensor test_card(std::int64_t h, std::int64_t w) {
  Tensor image({h, w, 3}, DType::uint8);
  auto* p = image.data<std::uint8_t>();
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        *p++ = static_cast<std::uint8_t>((x * (c + 1) + y * 2 + ((x * 2654435761u + y * 40503u + c) >> 7) % 24) % 256);
  return image;
}

template <class F>
double per_second(F&& body, double min_seconds = 1.0) {
  body();  // warm-up
  long runs = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    body();
    ++runs;
    elapsed = seconds_since(start);
  } while (elapsed < min_seconds);
  return static_cast<double>(runs) / elapsed;
}

}  // namespace

int main() {
  for (std::int64_t side : {32, 128, 256, 512}) {
    const Tensor image = test_card(side, side);
    const std::vector<std::uint8_t> jpeg = datasets::encode_jpeg(image, 90);
    const std::vector<std::uint8_t> png = datasets::encode_png(image);
    const double jpeg_rate = per_second([&] { datasets::decode_image(jpeg, {.channels = 3}); });
    const double png_rate = per_second([&] { datasets::decode_image(png, {.channels = 3}); });
    std::printf("{\"bench\": \"decode_image\", \"format\": \"jpeg\", \"size\": \"%ldx%ldx3\", \"bytes\": %zu, "
                "\"images_per_s\": %.0f, \"megapixels_per_s\": %.1f}\n",
                side, side, jpeg.size(), jpeg_rate, jpeg_rate * side * side / 1e6);
    std::printf("{\"bench\": \"decode_image\", \"format\": \"png\", \"size\": \"%ldx%ldx3\", \"bytes\": %zu, "
                "\"images_per_s\": %.0f, \"megapixels_per_s\": %.1f}\n",
                side, side, png.size(), png_rate, png_rate * side * side / 1e6);
  }

  const auto dir = std::filesystem::temp_directory_path() / ("strata_bench_readers_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Tensor big({2000, 1000});
  for (std::int64_t i = 0; i < big.size(); ++i) big.data<float>()[i] = static_cast<float>(i % 977) * 0.5f;
  const std::string npy = (dir / "big.npy").string();
  datasets::write_npy(npy, big);
  const double npy_rate = per_second([&] { datasets::read_npy(npy); });
  std::printf("{\"bench\": \"read_npy\", \"shape\": \"(2000, 1000) float32\", \"MB_per_s\": %.0f}\n",
              npy_rate * big.nbytes() / 1e6);

  const std::string csv = (dir / "rows.csv").string();
  {
    std::ofstream out(csv);
    out << "a,b,c,d,e,f,g,label\n";
    for (int r = 0; r < 100000; ++r) {
      for (int c = 0; c < 7; ++c) out << (r * 7 + c) % 1000 * 0.125 << ',';
      out << r % 10 << '\n';
    }
  }
  const double csv_rate = per_second([&] { datasets::read_csv(csv, {.label_column = "label"}); });
  std::printf("{\"bench\": \"read_csv\", \"rows\": 100000, \"columns\": 8, \"rows_per_s\": %.0f}\n",
              csv_rate * 100000);
  std::filesystem::remove_all(dir);
  return 0;
}
