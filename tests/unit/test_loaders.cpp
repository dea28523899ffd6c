// Dataset loaders on small files written here in the official formats (CIFAR binary records, Keras's .npz).
#include <doctest/doctest.h>

#include <strata/datasets/boston_housing.hpp>
#include <strata/datasets/california_housing.hpp>
#include <strata/datasets/cifar10.hpp>
#include <strata/datasets/cifar100.hpp>
#include <strata/datasets/npy.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using strata::DType;
using strata::Shape;
using strata::Tensor;
namespace ds = strata::datasets;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("strata_test_loaders_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    if (value)
      ::setenv(name.c_str(), value, 1);
    else
      ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

// Pixel (channel c, row r, column k) of record `id`, as the generator writes it.
std::uint8_t pixel(int id, int c, int r, int k) { return static_cast<std::uint8_t>(id * 7 + c * 50 + r * 3 + k); }

// A CIFAR binary file: per record `labels` then 1024 red, 1024 green, 1024 blue bytes (rows of 32).
void write_cifar(const std::string& path, const std::vector<int>& ids, int label_bytes) {
  std::ofstream out(path, std::ios::binary);
  for (int id : ids) {
    for (int b = 0; b < label_bytes; ++b) out.put(static_cast<char>(id % 20 + b * 100));  // coarse, then fine
    for (int c = 0; c < 3; ++c)
      for (int r = 0; r < 32; ++r)
        for (int k = 0; k < 32; ++k) out.put(static_cast<char>(pixel(id, c, r, k)));
  }
}

void check_cifar_split(const ds::Split& split, const std::vector<int>& ids, int label_offset) {
  const auto n = static_cast<std::int64_t>(ids.size());
  REQUIRE(split.x.shape() == Shape{n, 32, 32, 3});
  REQUIRE(split.y.shape() == Shape{n, 1});
  CHECK(split.x.dtype() == DType::uint8);
  CHECK(split.y.dtype() == DType::uint8);
  for (std::int64_t i = 0; i < n; ++i) {
    const int id = ids[static_cast<std::size_t>(i)];
    CHECK(split.y.at<std::uint8_t>({i, 0}) == id % 20 + label_offset);
    // channels_last: x[i, r, k, c] is channel c's byte at row r, column k
    for (auto [r, k, c] : {std::array{0, 0, 0}, std::array{0, 0, 2}, std::array{31, 5, 1}, std::array{7, 31, 2}})
      CHECK(split.x.at<std::uint8_t>({i, r, k, c}) == pixel(id, c, r, k));
  }
}

template <typename E, typename F>
std::string error_text(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

// Keras's housing .npz layout: x (n, features), y (n,), x[i][j] = 100 i + j so each row names itself.
void write_housing(const std::string& path, std::int64_t n, std::int64_t features) {
  Tensor x({n, features}), y({n});
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < features; ++j) x.at({i, j}) = static_cast<float>(100 * i + j);
    y.at({i}) = static_cast<float>(i) + 0.5f;
  }
  ds::write_npz(path, {{"x", x}, {"y", y}});
}

// The original row numbers of a split's x.
std::vector<std::int64_t> row_ids(const ds::Split& split) {
  std::vector<std::int64_t> ids;
  for (std::int64_t i = 0; i < split.x.dim(0); ++i) {
    ids.push_back(static_cast<std::int64_t>(split.x.at({i, 0})) / 100);
    CHECK(split.y.at({i}) == static_cast<float>(ids.back()) + 0.5f);
  }
  return ids;
}

}  // namespace

TEST_CASE("cifar10::load_data reads the binary batches into Keras's shapes, channels_last") {
  TempDir dir;
  const std::vector<std::vector<int>> batches = {{0, 1}, {2}, {3, 4, 5}, {6}, {7, 8}};
  for (int b = 0; b < 5; ++b) write_cifar(dir.file("data_batch_" + std::to_string(b + 1) + ".bin"), batches[b], 1);
  write_cifar(dir.file("test_batch.bin"), {40, 41, 42}, 1);
  const auto [train, test] = ds::cifar10::load_data(dir.str());
  check_cifar_split(train, {0, 1, 2, 3, 4, 5, 6, 7, 8}, 0);
  check_cifar_split(test, {40, 41, 42}, 0);
  CHECK(ds::cifar10::class_names()[0] == "airplane");
  CHECK(ds::cifar10::class_names()[9] == "truck");
  {
    ScopedEnv env("STRATA_CIFAR10_DIR", dir.str().c_str());
    CHECK(ds::cifar10::load_data().test.x.dim(0) == 3);
  }
  // a truncated batch names the file and the record size
  fs::resize_file(dir.file("data_batch_3.bin"), 3 * 3073 - 10);
  const std::string cut = error_text<strata::FileFormatError>([&] { ds::cifar10::load_data(dir.str()); });
  CHECK(cut.find("data_batch_3.bin' is truncated or not a CIFAR binary file: it holds 9209 bytes, not a whole "
                 "number of 3073-byte records") != std::string::npos);
  // a missing file names every missing file and the official URL
  fs::remove(dir.file("test_batch.bin"));
  fs::remove(dir.file("data_batch_5.bin"));
  const std::string missing = error_text<strata::FileFormatError>([&] { ds::cifar10::load_data(dir.str()); });
  CHECK(missing.find("CIFAR-10 data not found: missing '" + dir.file("data_batch_5.bin") + "', '" +
                     dir.file("test_batch.bin") + "'") != std::string::npos);
  CHECK(missing.find("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz") != std::string::npos);
  CHECK(missing.find("comes from the path argument") != std::string::npos);
}

TEST_CASE("cifar100::load_data gives the fine or coarse labels of the binary records") {
  TempDir dir;
  write_cifar(dir.file("train.bin"), {0, 1, 2, 3}, 2);
  write_cifar(dir.file("test.bin"), {25, 26}, 2);
  const auto fine = ds::cifar100::load_data("fine", dir.str());
  check_cifar_split(fine.train, {0, 1, 2, 3}, 100);
  check_cifar_split(fine.test, {25, 26}, 100);
  const auto coarse = ds::cifar100::load_data("coarse", dir.str());
  check_cifar_split(coarse.train, {0, 1, 2, 3}, 0);
  CHECK(error_text<strata::ValueError>([&] { ds::cifar100::load_data("medium", dir.str()); }) ==
        "`label_mode` must be one of `\"fine\"`, `\"coarse\"`. Received: label_mode=medium.");
  {
    ScopedEnv env("STRATA_CIFAR100_DIR", nullptr);
    ScopedEnv home("KERAS_HOME", dir.file("keras_home").c_str());
    const std::string missing = error_text<strata::FileFormatError>([] { ds::cifar100::load_data(); });
    CHECK(missing.find(dir.file("keras_home") + "/datasets/cifar-100-binary/train.bin") != std::string::npos);
    CHECK(missing.find("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz") != std::string::npos);
  }
  std::ofstream(dir.file("test.bin"), std::ios::binary | std::ios::trunc);
  CHECK(error_text<strata::FileFormatError>([&] { ds::cifar100::load_data("fine", dir.str()); })
            .find("test.bin' is truncated or not a CIFAR binary file: it holds 0 bytes") != std::string::npos);
}

TEST_CASE("boston_housing::load_data shuffles and splits exactly as Keras") {
  TempDir dir;
  write_housing(dir.file("boston_housing.npz"), 30, 13);
  const auto [train, test] = ds::boston_housing::load_data(dir.file("boston_housing.npz"));
  CHECK(train.x.shape() == Shape{24, 13});
  CHECK(train.y.shape() == Shape{24});
  CHECK(test.x.shape() == Shape{6, 13});
  CHECK(train.x.dtype() == DType::float32);
  // np.random.RandomState(113).shuffle(np.arange(30)) starts 19, 8, 21, 18, 11, 17, 13, 3 (numpy 2.4)
  const auto ids = row_ids(train);
  CHECK(std::vector<std::int64_t>(ids.begin(), ids.begin() + 8) == std::vector<std::int64_t>{19, 8, 21, 18, 11, 17, 13, 3});
  CHECK(train.x.at({0, 12}) == 1912.0f);
  // seed 7, test_split 0.25: int(30 * 0.75) = 22 training rows, starting 2, 17, 1, 9
  const auto other = ds::boston_housing::load_data(dir.file("boston_housing.npz"), 0.25, 7);
  CHECK(other.train.x.dim(0) == 22);
  CHECK(other.test.x.dim(0) == 8);
  const auto other_ids = row_ids(other.train);
  CHECK(std::vector<std::int64_t>(other_ids.begin(), other_ids.begin() + 4) == std::vector<std::int64_t>{2, 17, 1, 9});
  // every row lands in exactly one split
  auto all = row_ids(other.train);
  for (auto id : row_ids(other.test)) all.push_back(id);
  std::sort(all.begin(), all.end());
  for (std::int64_t i = 0; i < 30; ++i) CHECK(all[static_cast<std::size_t>(i)] == i);

  CHECK(error_text<strata::ValueError>([&] { ds::boston_housing::load_data(dir.file("boston_housing.npz"), 1.0); }) ==
        "Invalid `test_split` argument: 1. It must be between 0 and 1 (exclusive of 1).");
  {
    ScopedEnv env("STRATA_BOSTON_HOUSING_PATH", dir.file("boston_housing.npz").c_str());
    CHECK(ds::boston_housing::load_data().test.x.dim(0) == 6);
  }
  const std::string missing =
      error_text<strata::FileFormatError>([&] { ds::boston_housing::load_data(dir.file("nope.npz")); });
  CHECK(missing.find("Boston Housing data not found: missing '" + dir.file("nope.npz") + "'") != std::string::npos);
  CHECK(missing.find("https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz") !=
        std::string::npos);
  ds::write_npz(dir.file("no_y.npz"), {{"x", Tensor({2, 2})}});
  CHECK(error_text<strata::FileFormatError>([&] { ds::boston_housing::load_data(dir.file("no_y.npz")); })
            .find("has no array 'y'") != std::string::npos);
}

TEST_CASE("california_housing::load_data: the large and small versions, shuffled as Keras") {
  TempDir dir;
  write_housing(dir.file("california_housing.npz"), 700, 8);
  const auto large = ds::california_housing::load_data("large", dir.file("california_housing.npz"));
  CHECK(large.train.x.shape() == Shape{560, 8});
  CHECK(large.test.x.shape() == Shape{140, 8});
  auto ids = row_ids(large.train);
  CHECK(std::vector<std::int64_t>(ids.begin(), ids.begin() + 4) == std::vector<std::int64_t>{107, 175, 556, 64});
  // small: the first 600 rows, then shuffled: RandomState(113) over 600 starts 568, 505, 59, 71
  const auto small = ds::california_housing::load_data("small", dir.file("california_housing.npz"));
  CHECK(small.train.x.shape() == Shape{480, 8});
  CHECK(small.test.y.shape() == Shape{120});
  ids = row_ids(small.train);
  CHECK(std::vector<std::int64_t>(ids.begin(), ids.begin() + 4) == std::vector<std::int64_t>{568, 505, 59, 71});
  CHECK(error_text<strata::ValueError>([&] { ds::california_housing::load_data("medium"); }) ==
        "Argument `version` must be one of 'small', 'large'. Received: version=medium");
  ScopedEnv env("STRATA_CALIFORNIA_HOUSING_PATH", nullptr);
  ScopedEnv home("KERAS_HOME", dir.str().c_str());
  CHECK(error_text<strata::FileFormatError>([] { ds::california_housing::load_data(); })
            .find("missing '" + dir.str() + "/datasets/california_housing.npz'") != std::string::npos);
}
