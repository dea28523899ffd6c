#include <doctest/doctest.h>

#include <strata/datasets/fashion_mnist.hpp>
#include <strata/datasets/idx.hpp>
#include <strata/datasets/mnist.hpp>

#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using strata::Shape;
using strata::Tensor;
namespace ds = strata::datasets;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("strata_test_mnist_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// Sets an environment variable for one scope, restoring the old value after.
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

Tensor images(std::int64_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(static_cast<std::size_t>(n * 28 * 28));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i * 31 + seed);
  return Tensor(Shape{n, 28, 28}, v);
}

Tensor labels(std::int64_t n) {
  std::vector<std::uint8_t> v(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i % 10);
  return Tensor(Shape{n}, v);
}

// Writes a small dataset in the MNIST layout: 5 training and 3 test examples.
void write_small_dataset(const TempDir& dir, std::int64_t train_labels = 5, std::int64_t test_labels = 3) {
  ds::write_idx(dir.file("train-images-idx3-ubyte.gz"), images(5, 1));
  ds::write_idx(dir.file("train-labels-idx1-ubyte.gz"), labels(train_labels));
  ds::write_idx(dir.file("t10k-images-idx3-ubyte.gz"), images(3, 2));
  ds::write_idx(dir.file("t10k-labels-idx1-ubyte.gz"), labels(test_labels));
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const strata::Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mnist::load_data reads the four IDX files from the given directory") {
  TempDir dir;
  write_small_dataset(dir);
  auto [train, test] = ds::mnist::load_data(dir.str());
  auto& [x_train, y_train] = train;
  CHECK(x_train.shape() == Shape{5, 28, 28});
  CHECK(x_train.dtype() == strata::DType::uint8);
  CHECK(y_train.shape() == Shape{5});
  CHECK(y_train.dtype() == strata::DType::uint8);
  CHECK(test.x.shape() == Shape{3, 28, 28});
  CHECK(test.y.shape() == Shape{3});
  CHECK(x_train.to_vector<std::uint8_t>() == images(5, 1).to_vector<std::uint8_t>());
  CHECK(test.x.to_vector<std::uint8_t>() == images(3, 2).to_vector<std::uint8_t>());
  CHECK(test.y.to_vector<std::uint8_t>() == std::vector<std::uint8_t>{0, 1, 2});
}

TEST_CASE("the directory comes from the argument, else the environment variable") {
  TempDir dir;
  write_small_dataset(dir);
  {
    ScopedEnv env("STRATA_MNIST_DIR", dir.str().c_str());
    CHECK(ds::mnist::load_data().train.x.dim(0) == 5);
    TempDir empty;
    CHECK_THROWS_AS(ds::mnist::load_data(empty.str()), strata::FileFormatError);  // the argument wins
  }
  {
    ScopedEnv env("STRATA_FASHION_MNIST_DIR", dir.str().c_str());
    CHECK(ds::fashion_mnist::load_data().test.x.dim(0) == 3);
  }
}

TEST_CASE("missing files are named, with how to get the data") {
  TempDir dir;
  write_small_dataset(dir);
  fs::remove(dir.path / "t10k-labels-idx1-ubyte.gz");
  std::string msg = error_of([&] { ds::fashion_mnist::load_data(dir.str()); });
  CHECK(contains(msg, "Fashion-MNIST data not found"));
  CHECK(contains(msg, dir.file("t10k-labels-idx1-ubyte.gz")));
  CHECK_FALSE(contains(msg, "train-images-idx3-ubyte.gz'"));
  CHECK(contains(msg, "apt-get install dataset-fashion-mnist"));
  CHECK(contains(msg, "STRATA_FASHION_MNIST_DIR"));

  TempDir empty;
  ScopedEnv env("STRATA_MNIST_DIR", empty.str().c_str());
  CHECK_THROWS_AS(ds::mnist::load_data(), strata::FileFormatError);
  msg = error_of([] { ds::mnist::load_data(); });
  CHECK(contains(msg, "MNIST data not found"));
  CHECK(contains(msg, empty.file("train-images-idx3-ubyte.gz")));
  CHECK(contains(msg, empty.file("t10k-labels-idx1-ubyte.gz")));
  CHECK(contains(msg, "$STRATA_MNIST_DIR"));
  CHECK(contains(msg, "https://storage.googleapis.com/cvdf-datasets/mnist/"));
}

TEST_CASE("image and label counts must agree") {
  {
    TempDir dir;
    write_small_dataset(dir, 4, 3);
    CHECK_THROWS_AS(ds::mnist::load_data(dir.str()), strata::FileFormatError);
    const std::string msg = error_of([&] { ds::mnist::load_data(dir.str()); });
    CHECK(contains(msg, dir.file("train-images-idx3-ubyte.gz") + "' holds 5 images but '" +
                            dir.file("train-labels-idx1-ubyte.gz") + "' holds 4 labels"));
  }
  {
    TempDir dir;
    write_small_dataset(dir, 5, 7);
    CHECK(contains(error_of([&] { ds::fashion_mnist::load_data(dir.str()); }), "holds 3 images but"));
  }
}

TEST_CASE("images must be 3-D uint8 and labels 1-D uint8") {
  TempDir dir;
  write_small_dataset(dir);
  ds::write_idx(dir.file("train-labels-idx1-ubyte.gz"), Tensor(Shape{5, 1}, strata::DType::uint8));
  CHECK(contains(error_of([&] { ds::mnist::load_data(dir.str()); }),
                 "should be uint8 of shape (N,), got uint8 (5, 1)"));
  write_small_dataset(dir);
  ds::write_idx(dir.file("t10k-images-idx3-ubyte.gz"), Tensor(Shape{3, 784}, strata::DType::float32));
  CHECK(contains(error_of([&] { ds::mnist::load_data(dir.str()); }),
                 "should be uint8 of shape (N, rows, cols), got float32 (3, 784)"));
}

TEST_CASE("a corrupt file inside the dataset names that file") {
  TempDir dir;
  write_small_dataset(dir);
  fs::resize_file(dir.path / "train-images-idx3-ubyte.gz", 10);
  const std::string msg = error_of([&] { ds::mnist::load_data(dir.str()); });
  CHECK(contains(msg, dir.file("train-images-idx3-ubyte.gz")));
}

TEST_CASE("fashion_mnist::class_names are Keras's") {
  const auto& names = ds::fashion_mnist::class_names();
  const std::array<std::string_view, 10> expected = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                     "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  CHECK(names == expected);
}

TEST_CASE("the real Fashion-MNIST from /usr/share/datasets/fashion-mnist") {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir)) {
    MESSAGE("skipped: " << dir << " is absent (apt-get install dataset-fashion-mnist)");
    return;
  }
  auto [train, test] = ds::fashion_mnist::load_data(dir);
  CHECK(train.x.shape() == Shape{60000, 28, 28});
  CHECK(train.y.shape() == Shape{60000});
  CHECK(test.x.shape() == Shape{10000, 28, 28});
  CHECK(test.y.shape() == Shape{10000});
  CHECK(train.x.dtype() == strata::DType::uint8);
  CHECK(train.y.dtype() == strata::DType::uint8);

  for (const auto& [split, per_class] : {std::pair{&train, 6000}, std::pair{&test, 1000}}) {
    std::array<int, 10> counts{};
    for (std::uint8_t label : split->y.values<std::uint8_t>()) {
      REQUIRE(label < 10);
      ++counts[label];
    }
    for (int c = 0; c < 10; ++c) CHECK(counts[c] == per_class);
  }
  // First labels and pixel sums, computed with Python's gzip module from the same files.
  auto first = [](const Tensor& y) {
    auto v = y.values<std::uint8_t>();
    return std::vector<int>(v.begin(), v.begin() + 10);
  };
  CHECK(first(train.y) == std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  CHECK(first(test.y) == std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
  auto pixel_sum = [](const Tensor& x) {
    std::uint64_t s = 0;
    for (std::uint8_t p : x.values<std::uint8_t>()) s += p;
    return s;
  };
  CHECK(pixel_sum(train.x) == 3431114169ull);
  CHECK(pixel_sum(test.x) == 573469082ull);
}
