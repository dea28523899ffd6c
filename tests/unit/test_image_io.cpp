#include <doctest/doctest.h>

#include <strata/datasets/image_io.hpp>

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using strata::DType;
using strata::Tensor;
namespace ds = strata::datasets;
using Bytes = std::vector<std::uint8_t>;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("strata_test_image_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void put_be32(Bytes& out, std::uint32_t v) {
  out.insert(out.end(), {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)});
}

void chunk(Bytes& png, const char* type, const Bytes& data) {
  put_be32(png, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  put_be32(png, static_cast<std::uint32_t>(crc32(0, png.data() + start, static_cast<uInt>(png.size() - start))));
}

// A PNG written by hand from the specification (not by libpng): `rows` are the raw scanlines without filter bytes.
Bytes handmade_png(std::uint32_t width, std::uint32_t height, int bit_depth, int color_type,
                   const std::vector<Bytes>& rows, const Bytes& palette = {}, const Bytes& trns = {}) {
  Bytes png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes ihdr;
  put_be32(ihdr, width);
  put_be32(ihdr, height);
  ihdr.insert(ihdr.end(), {std::uint8_t(bit_depth), std::uint8_t(color_type), 0, 0, 0});
  chunk(png, "IHDR", ihdr);
  if (!palette.empty()) chunk(png, "PLTE", palette);
  if (!trns.empty()) chunk(png, "tRNS", trns);
  Bytes raw;
  for (const Bytes& row : rows) {
    raw.push_back(0);  // filter type None
    raw.insert(raw.end(), row.begin(), row.end());
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  Bytes idat(size);
  compress(idat.data(), &size, raw.data(), static_cast<uLong>(raw.size()));
  idat.resize(size);
  chunk(png, "IDAT", idat);
  chunk(png, "IEND", {});
  return png;
}

std::vector<int> pixels(const Tensor& t) {
  std::vector<int> out;
  for (auto v : t.values<std::uint8_t>()) out.push_back(v);
  return out;
}

std::string error_of(const Bytes& bytes, int channels = 0) {
  try {
    ds::decode_image(bytes, {.channels = channels, .name = "sample.img"});
  } catch (const strata::FileFormatError& e) {
    return e.what();
  }
  return "";
}

// A smooth 3-channel test card: JPEG keeps it within a few levels.
Tensor gradient_image(std::int64_t h, std::int64_t w, std::int64_t c) {
  Tensor image({h, w, c}, DType::uint8);
  auto* p = image.data<std::uint8_t>();
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x)
      for (std::int64_t k = 0; k < c; ++k) *p++ = static_cast<std::uint8_t>((x * 4 + y * 2 + k * 40) % 256);
  return image;
}

}  // namespace

TEST_CASE("detect_image_format reads the magic bytes") {
  CHECK(ds::detect_image_format(Bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0}) == ds::ImageFormat::png);
  CHECK(ds::detect_image_format(Bytes{0xFF, 0xD8, 0xFF, 0xE0}) == ds::ImageFormat::jpeg);
  CHECK(ds::detect_image_format(Bytes{'G', 'I', 'F', '8'}) == ds::ImageFormat::unknown);
  CHECK(ds::detect_image_format(Bytes{}) == ds::ImageFormat::unknown);
}

TEST_CASE("encode_png and decode_image round-trip every channel count exactly") {
  for (std::int64_t c : {1, 2, 3, 4}) {
    CAPTURE(c);
    const Tensor image = gradient_image(5, 7, c);
    const Tensor back = ds::decode_image(ds::encode_png(image));
    CHECK(back.dtype() == DType::uint8);
    CHECK(back.shape() == strata::Shape{5, 7, c});
    CHECK(pixels(back) == pixels(image));
  }
  // a (height, width) tensor is a grayscale image
  Tensor flat({2, 3}, DType::uint8);
  for (int i = 0; i < 6; ++i) flat.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(i * 50);
  const Tensor back = ds::decode_image(ds::encode_png(flat, 9));
  CHECK(back.shape() == strata::Shape{2, 3, 1});
  CHECK(pixels(back) == pixels(flat));
}

TEST_CASE("decode_image converts channels like tf.io.decode_image") {
  // RGBA pixels: opaque red, half-transparent gray 100
  Tensor rgba({1, 2, 4}, std::vector<std::uint8_t>{255, 0, 0, 255, 100, 100, 100, 128});
  const Bytes png = ds::encode_png(rgba);
  CHECK(pixels(ds::decode_image(png, {.channels = 3})) == std::vector<int>{255, 0, 0, 100, 100, 100});
  CHECK(pixels(ds::decode_image(png, {.channels = 4})) == pixels(rgba));
  // libpng's ITU-R 709 weights (6968, 23434, 2366) / 32768, as TensorFlow uses: red 255 -> 54
  const auto gray = pixels(ds::decode_image(png, {.channels = 1}));
  REQUIRE(gray.size() == 2);
  CHECK(std::abs(gray[0] - 54) <= 1);
  CHECK(gray[1] == 100);
  // gray to RGB replicates; opaque alpha is added
  Tensor g({1, 2, 1}, std::vector<std::uint8_t>{7, 200});
  CHECK(pixels(ds::decode_image(ds::encode_png(g), {.channels = 3})) == std::vector<int>{7, 7, 7, 200, 200, 200});
  CHECK(pixels(ds::decode_image(ds::encode_png(g), {.channels = 4})) ==
        std::vector<int>{7, 7, 7, 255, 200, 200, 200, 255});
  CHECK_THROWS_AS(ds::decode_image(ds::encode_png(g), {.channels = 2}), strata::ValueError);
}

TEST_CASE("decode_image reads PNG variants written from the specification") {
  SUBCASE("16-bit RGB keeps the high byte") {
    const Bytes png = handmade_png(2, 1, 16, 2, {{0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF, 0x00, 0x01, 0x80, 0x00, 0x7F, 0xFF}});
    const Tensor t = ds::decode_image(png);
    CHECK(t.shape() == strata::Shape{1, 2, 3});
    CHECK(pixels(t) == std::vector<int>{0x12, 0xAB, 0xFF, 0x00, 0x80, 0x7F});
  }
  SUBCASE("1-bit grayscale expands to 0 and 255") {
    const Bytes png = handmade_png(10, 1, 1, 0, {{0b10110000, 0b01000000}});
    CHECK(pixels(ds::decode_image(png)) == std::vector<int>{255, 0, 255, 255, 0, 0, 0, 0, 0, 255});
  }
  SUBCASE("palette with transparency gives RGBA, or RGB on request") {
    const Bytes palette{10, 20, 30, 40, 50, 60, 70, 80, 90};
    const Bytes png = handmade_png(3, 1, 8, 3, {{2, 0, 1}}, palette, {0, 128});
    const Tensor t = ds::decode_image(png);
    CHECK(t.shape() == strata::Shape{1, 3, 4});
    CHECK(pixels(t) == std::vector<int>{70, 80, 90, 255, 10, 20, 30, 0, 40, 50, 60, 128});
    CHECK(pixels(ds::decode_image(png, {.channels = 3})) == std::vector<int>{70, 80, 90, 10, 20, 30, 40, 50, 60});
  }
  SUBCASE("gray+alpha keeps 2 channels; channels=1 drops alpha") {
    const Bytes png = handmade_png(2, 2, 8, 4, {{1, 2, 3, 4}, {5, 6, 7, 8}});
    const Tensor t = ds::decode_image(png);
    CHECK(t.shape() == strata::Shape{2, 2, 2});
    CHECK(pixels(t) == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(pixels(ds::decode_image(png, {.channels = 1})) == std::vector<int>{1, 3, 5, 7});
  }
}

TEST_CASE("encode_jpeg and decode_image round-trip within JPEG's loss") {
  const Tensor image = gradient_image(16, 24, 3);
  const Bytes jpeg = ds::encode_jpeg(image, 100);
  CHECK(ds::detect_image_format(jpeg) == ds::ImageFormat::jpeg);
  const Tensor back = ds::decode_image(jpeg);
  REQUIRE(back.shape() == strata::Shape{16, 24, 3});
  const auto a = pixels(image), b = pixels(back);
  int worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  CHECK(worst <= 8);
  CHECK(ds::decode_image(jpeg, {.channels = 4}).shape() == strata::Shape{16, 24, 4});
  CHECK(ds::decode_image(jpeg, {.channels = 4}).data<std::uint8_t>()[3] == 255);
  // a grayscale JPEG decodes to 1 channel, or replicated to 3
  Tensor gray({8, 8, 1}, DType::uint8);
  for (int i = 0; i < 64; ++i) gray.data<std::uint8_t>()[i] = 90;
  const Bytes gray_jpeg = ds::encode_jpeg(gray, 90);
  const Tensor g1 = ds::decode_image(gray_jpeg);
  CHECK(g1.shape() == strata::Shape{8, 8, 1});
  CHECK(std::abs(int(g1.data<std::uint8_t>()[0]) - 90) <= 1);
  const Tensor g3 = ds::decode_image(gray_jpeg, {.channels = 3});
  CHECK(g3.shape() == strata::Shape{8, 8, 3});
  CHECK(g3.data<std::uint8_t>()[0] == g3.data<std::uint8_t>()[2]);
}

TEST_CASE("decode_image raises FileFormatError naming the file for corrupt or truncated images") {
  const Bytes png = ds::encode_png(gradient_image(20, 20, 3));
  const Bytes jpeg = ds::encode_jpeg(gradient_image(32, 32, 3), 90);
  for (std::size_t keep : {std::size_t{8}, std::size_t{20}, png.size() / 2, png.size() - 13}) {
    CAPTURE(keep);
    const std::string message = error_of(Bytes(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(keep)));
    CHECK(message.find("'sample.img' is a corrupt or truncated PNG") != std::string::npos);
  }
  for (std::size_t keep : {std::size_t{3}, std::size_t{40}, jpeg.size() / 2, jpeg.size() - 40}) {
    CAPTURE(keep);
    const std::string message = error_of(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep)));
    CHECK(message.find("'sample.img' is a corrupt or truncated JPEG") != std::string::npos);
  }
  Bytes bad_crc = png;
  bad_crc[40] ^= 0xFF;  // inside IDAT: the chunk CRC no longer matches
  CHECK(error_of(bad_crc).find("corrupt or truncated PNG") != std::string::npos);
  CHECK(error_of(Bytes{'G', 'I', 'F', '8', '9', 'a'}).find("neither PNG nor JPEG (it starts with bytes 47 49 46 38") !=
        std::string::npos);
  CHECK(error_of(Bytes{}).find("'sample.img' is empty") != std::string::npos);
  // a header declaring a huge image is refused before anything is allocated
  const Bytes huge = handmade_png(100000, 100000, 8, 0, {});
  CHECK(error_of(huge).find("declares 100000x100000 pixels") != std::string::npos);
}

TEST_CASE("decode_image(path) and write_png/write_jpeg go through files") {
  TempDir dir;
  const Tensor image = gradient_image(4, 6, 3);
  ds::write_png(dir.path / "a.png", image);
  ds::write_jpeg(dir.path / "b.jpg", image);
  CHECK(pixels(ds::decode_image(dir.path / "a.png")) == pixels(image));
  CHECK(ds::decode_image(dir.path / "b.jpg").shape() == strata::Shape{4, 6, 3});
  // the format comes from the bytes, not the extension
  fs::copy_file(dir.path / "a.png", dir.path / "misnamed.jpg");
  CHECK(pixels(ds::decode_image(dir.path / "misnamed.jpg")) == pixels(image));
  try {
    ds::decode_image(dir.path / "missing.png");
    FAIL("no error");
  } catch (const strata::FileFormatError& e) {
    CHECK(std::string(e.what()).find("missing.png' does not exist") != std::string::npos);
  }
  std::ofstream(dir.path / "cut.png", std::ios::binary).write("\x89PNG\r\n\x1a\n\0\0", 10);
  try {
    ds::decode_image(dir.path / "cut.png");
    FAIL("no error");
  } catch (const strata::FileFormatError& e) {
    CHECK(std::string(e.what()).find("cut.png' is a corrupt or truncated PNG") != std::string::npos);
  }
  CHECK_THROWS_AS(ds::encode_jpeg(gradient_image(2, 2, 4)), strata::ShapeError);
  CHECK_THROWS_AS(ds::encode_png(Tensor({2, 2, 3})), strata::ValueError);
}
