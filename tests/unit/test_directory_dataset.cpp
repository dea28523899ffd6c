// image_dataset_from_directory / text_dataset_from_directory against the real Keras's file order, labels, splits
// and resize (tests/reference/make_pipeline_reference.py), on folders this test writes.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include <strata/strata.hpp>
#include <strata/datasets/directory.hpp>
#include <strata/datasets/image_io.hpp>

using namespace strata;
namespace fs = std::filesystem;
using datasets::Element;

namespace {

const nlohmann::json& reference() {
  static const nlohmann::json j = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/pipeline_reference.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
  }();
  return j;
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("strata_test_directory_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// Captures std::cout for one scope.
struct CaptureStdout {
  std::ostringstream text;
  std::streambuf* old = std::cout.rdbuf(text.rdbuf());
  ~CaptureStdout() { std::cout.rdbuf(old); }
};

/// The reference tree with every image a 3x5 gray image whose pixels all equal its file number (1, 2, ...):
/// returns file (relative path) -> number. JPEG files are lossy, so their value is read back within a tolerance.
std::map<std::string, int> write_tree(const fs::path& root) {
  std::map<std::string, int> number;
  int k = 0;
  for (const auto& [cls, files] : reference()["tree"].items())
    for (const auto& f : files) {
      std::string rel = cls + "/" + f.get<std::string>();
      fs::path p = root / rel;
      fs::create_directories(p.parent_path());
      std::string ext = p.extension().string();
      Tensor img = Tensor::zeros({3, 5, 1}, DType::uint8);
      ++k;
      for (auto& v : img.values<std::uint8_t>()) v = static_cast<std::uint8_t>(k * 10);
      if (ext == ".txt") {
        std::ofstream(p) << "not an image";
      } else if (ext == ".jpg" || ext == ".jpeg") {
        datasets::write_jpeg(p, img, 100);
      } else {
        datasets::write_png(p, img);
      }
      number[rel] = k;
    }
  return number;
}

std::vector<std::string> relative(const std::vector<std::string>& paths, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(fs::relative(p, root).generic_string());
  return out;
}

}  // namespace

TEST_CASE("image_dataset_from_directory orders, labels and splits files as Keras does") {
  TempDir dir;
  auto number = write_tree(dir.path);
  const std::string root = dir.path.string();
  for (const auto& ref : reference()["index"]) {
    CAPTURE(ref.dump());
    datasets::ImageDatasetOptions o{.class_names = ref["class_names_arg"].get<std::vector<std::string>>(),
                                    .color_mode = "grayscale",
                                    .batch_size = 4,
                                    .image_size = {3, 5},
                                    .shuffle = ref["shuffle"].get<bool>(),
                                    .seed = ref["seed"].get<std::uint32_t>(),
                                    .validation_split = ref["validation_split"].get<float>(),
                                    .subset = ref["subset"].get<std::string>(),
                                    .verbose = false};
    auto ds = datasets::image_dataset_from_directory(root, o);
    CHECK(ds.class_names == ref["class_names"].get<std::vector<std::string>>());
    CHECK(relative(ds.file_paths, dir.path) == ref["paths"].get<std::vector<std::string>>());
    const auto labels = ref["labels"].get<std::vector<int>>();
    CHECK(ds.cardinality() == (static_cast<std::int64_t>(labels.size()) + 3) / 4);
    // every element pairs the image of a file with that file's label; without shuffle in file order
    std::vector<std::pair<int, int>> seen, expected;
    for (std::size_t i = 0; i < labels.size(); ++i) expected.emplace_back(number[ref["paths"][i]], labels[i]);
    for (const Element& batch : ds) {
      REQUIRE(batch.size() == 2);
      CHECK(batch[0].dtype() == DType::float32);
      CHECK(batch[0].shape()[1] == 3);
      CHECK(batch[0].shape()[3] == 1);
      CHECK(batch[1].dtype() == DType::int32);
      for (std::int64_t r = 0; r < batch[0].shape()[0]; ++r)
        seen.emplace_back(static_cast<int>(std::lround(batch[0].item(r * 15) / 10)),
                          static_cast<int>(batch[1].item(r)));
    }
    if (!o.shuffle) CHECK(seen == expected);
    std::sort(seen.begin(), seen.end());
    std::sort(expected.begin(), expected.end());
    CHECK(seen == expected);
  }
}

TEST_CASE("image_dataset_from_directory: messages, label modes, color modes, subsets and bad arguments") {
  TempDir dir;
  write_tree(dir.path);
  const std::string root = dir.path.string();
  {
    CaptureStdout out;
    auto [train, val] = datasets::image_dataset_from_directory_both(
        root, {.image_size = {4, 4}, .seed = 7, .validation_split = 0.25f});
    CHECK(out.text.str() == "Found 13 files belonging to 3 classes.\nUsing 10 files for training.\n"
                            "Using 3 files for validation.\n");
    CHECK(train.file_paths.size() == 10);
    CHECK(val.file_paths.size() == 3);
  }
  {
    auto ds = datasets::image_dataset_from_directory(
        root, {.label_mode = "categorical", .color_mode = "rgba", .batch_size = 13, .image_size = {6, 2}, .verbose = false});
    auto batch = *ds.iterator().next();
    CHECK(batch[0].shape() == Shape{13, 6, 2, 4});
    CHECK(batch[1].shape() == Shape{13, 3});
    CHECK(batch[1].dtype() == DType::float32);
    for (std::int64_t r = 0; r < 13; ++r) {
      double sum = 0;
      for (int k = 0; k < 3; ++k) sum += batch[1].item(r * 3 + k);
      CHECK(sum == 1);
      CHECK(batch[0].item(r * 48 + 3) == 255);  // opaque alpha added
    }
  }
  {
    auto ds = datasets::image_dataset_from_directory(
        root, {.label_mode = "binary", .class_names = {"dogs", "cats"}, .batch_size = std::nullopt,
               .image_size = {3, 5}, .shuffle = false, .verbose = false});
    auto e = *ds.iterator().next();
    CHECK(e[0].shape() == Shape{3, 5, 3});
    CHECK(e[1].shape() == Shape{1});
    CHECK(e[1].item() == 0);  // dogs first: class 0
    CHECK(ds.cardinality() == 10);
  }
  {
    auto ds = datasets::image_dataset_from_directory(root, {.label_mode = "none", .image_size = {2, 2}, .verbose = false});
    CHECK(ds.iterator().next()->size() == 1);
  }
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.label_mode = "binary", .verbose = false}),
                       doctest::Contains("there must be exactly 2 class_names"), ValueError);
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.validation_split = 0.2f, .subset = "training"}),
                       doctest::Contains("you must provide a `seed` argument"), ValueError);
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.validation_split = 0.2f}),
                       doctest::Contains("If `subset` is set, `validation_split` must be set"), ValueError);
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.class_names = {"cats", "fish"}}),
                       doctest::Contains("did not match the names of the subdirectories"), ValueError);
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.color_mode = "cmyk"}),
                       doctest::Contains("`color_mode` must be one of"), ValueError);
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(root, {.label_mode = "sparse"}),
                       doctest::Contains("`label_mode` argument must be one of"), ValueError);
  TempDir empty;
  fs::create_directories(empty.path / "a");
  CHECK_THROWS_WITH_AS(datasets::image_dataset_from_directory(empty.path.string(), {.verbose = false}),
                       doctest::Contains("No images found in directory"), ValueError);
}

TEST_CASE("image_dataset_from_directory: a corrupt image raises naming it, or is skipped with on_corrupt=skip") {
  TempDir dir;
  write_tree(dir.path);
  { std::ofstream(dir.path / "birds" / "broken.png", std::ios::binary) << "\x89PNG\r\n\x1a\n truncated"; }
  const std::string root = dir.path.string();
  auto raising = datasets::image_dataset_from_directory(root, {.batch_size = 4, .image_size = {3, 5}, .verbose = false});
  auto drain = [](const datasets::Dataset& ds) {
    std::int64_t n = 0;
    for (const Element& b : ds) n += b[0].shape()[0];
    return n;
  };
  CHECK_THROWS_WITH_AS(drain(raising), doctest::Contains("broken.png"), FileFormatError);
  auto skipping = datasets::image_dataset_from_directory(
      root, {.batch_size = 4, .image_size = {3, 5}, .verbose = false, .on_corrupt = "skip"});
  CHECK(drain(skipping) == 13);
}

TEST_CASE("resize_image and crop_to_aspect_ratio match keras.ops.image.resize / smart_resize") {
  TempDir dir;
  int k = 0;
  for (const auto& c : reference()["resize"]) {
    CAPTURE(c["shape"].dump());
    CAPTURE(c["size"].dump());
    auto shape = c["shape"].get<std::vector<std::int64_t>>();
    auto size = c["size"].get<std::vector<std::int64_t>>();
    Tensor img(Shape(shape.begin(), shape.end()), DType::uint8);
    auto in = c["input"].get<std::vector<int>>();
    for (std::size_t i = 0; i < in.size(); ++i) img.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(in[i]);
    auto expected = c["output"].get<std::vector<float>>();
    Tensor out;
    if (!c["crop"].get<bool>()) {
      out = datasets::resize_image(img, size[0], size[1], c["interpolation"].get<std::string>());
    } else {
      // through the loader: PNG is lossless
      fs::path cls = dir.path / std::to_string(k++);
      fs::create_directories(cls / "only");
      datasets::write_png(cls / "only" / "img.png", img);
      auto ds = datasets::image_dataset_from_directory(
          cls.string(), {.color_mode = shape[2] == 1 ? "grayscale" : "rgb", .batch_size = std::nullopt,
                         .image_size = {size[0], size[1]}, .verbose = false, .crop_to_aspect_ratio = true});
      out = ds.iterator().next()->at(0);
    }
    REQUIRE(out.shape() == Shape{size[0], size[1], shape[2]});
    auto got = out.to_vector();
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == doctest::Approx(expected[i]).epsilon(1e-5));
  }
}

TEST_CASE("text_dataset_from_directory orders, labels, splits and truncates as Keras does") {
  TempDir dir;
  for (const auto& [cls, files] : reference()["text_tree"].items())
    for (const auto& f : files) {
      fs::path p = dir.path / cls / f.get<std::string>();
      fs::create_directories(p.parent_path());
      std::ofstream(p) << "text of " << cls << "/" << f.get<std::string>();
    }
  const auto& refs = reference()["text_index"];
  CaptureStdout out;
  auto all = datasets::text_dataset_from_directory(dir.path.string(), {.seed = 5});
  CHECK(out.text.str() == "Found 6 files belonging to 2 classes.\n");
  CHECK(relative(all.file_paths, dir.path) == refs[0]["paths"].get<std::vector<std::string>>());
  CHECK(all.class_names == std::vector<std::string>{"neg", "pos"});
  REQUIRE(all.labels.shape() == Shape{6});
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(all.labels.item(static_cast<std::int64_t>(i)) == refs[0]["labels"][i].get<int>());
    CHECK(all.texts[i] == "text of " + refs[0]["paths"][i].get<std::string>());
  }
  auto [train, val] = datasets::text_dataset_from_directory_both(
      dir.path.string(), {.label_mode = "categorical", .max_length = 7, .seed = 5, .validation_split = 0.4f, .verbose = false});
  CHECK(relative(train.file_paths, dir.path) == refs[1]["paths"].get<std::vector<std::string>>());
  CHECK(relative(val.file_paths, dir.path) == refs[2]["paths"].get<std::vector<std::string>>());
  CHECK(train.texts[0] == "text of");
  CHECK(val.labels.shape() == Shape{2, 2});
  CHECK(val.labels.item(refs[2]["labels"][0].get<int>()) == 1);
}
