#include <doctest/doctest.h>

#include <strata/datasets/idx.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using strata::DType;
using strata::Tensor;
using strata::datasets::read_idx;
using strata::datasets::write_idx;
using Bytes = std::vector<unsigned char>;

// A fresh directory under the system temp dir, removed at scope end.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("strata_test_idx_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

std::string error_of(const std::string& path) {
  try {
    read_idx(path);
  } catch (const strata::Error& e) {
    return e.what();
  }
  return "";
}

// 2x3x4 uint8 holding 0..23, as the IDX format spells it out.
Bytes uint8_idx() {
  Bytes b{0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
  for (int i = 0; i < 24; ++i) b.push_back(static_cast<unsigned char>(i));
  return b;
}

}  // namespace

TEST_CASE("read_idx reads a hand-written uint8 file") {
  TempDir dir;
  write_bytes(dir.file("a.idx"), uint8_idx());
  Tensor t = read_idx(dir.file("a.idx"));
  CHECK(t.dtype() == DType::uint8);
  CHECK(t.shape() == strata::Shape{2, 3, 4});
  for (int i = 0; i < 24; ++i) CHECK(t.data<std::uint8_t>()[i] == i);
}

TEST_CASE("read_idx reads big-endian int32 and float32") {
  TempDir dir;
  // int32 (3,): 1, -2, 0x01020304
  write_bytes(dir.file("i.idx"), {0, 0, 0x0C, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE, 1, 2, 3, 4});
  Tensor i = read_idx(dir.file("i.idx"));
  CHECK(i.dtype() == DType::int32);
  CHECK(i.to_vector<std::int32_t>() == std::vector<std::int32_t>{1, -2, 0x01020304});
  // float32 (1, 2): 1.5 = 0x3FC00000, -2.25 = 0xC0100000
  write_bytes(dir.file("f.idx"), {0, 0, 0x0D, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x3F, 0xC0, 0, 0, 0xC0, 0x10, 0, 0});
  Tensor f = read_idx(dir.file("f.idx"));
  CHECK(f.dtype() == DType::float32);
  CHECK(f.shape() == strata::Shape{1, 2});
  CHECK(f.to_vector<float>() == std::vector<float>{1.5f, -2.25f});
}

TEST_CASE("read_idx ignores bytes after the data, as Keras does") {
  TempDir dir;
  Bytes b = uint8_idx();
  b.insert(b.end(), {9, 9, 9});
  write_bytes(dir.file("a.idx"), b);
  CHECK(read_idx(dir.file("a.idx")).size() == 24);
}

TEST_CASE("write_idx writes the IDX byte layout, raw and gzip-compressed") {
  TempDir dir;
  std::vector<std::uint8_t> values(24);
  for (int i = 0; i < 24; ++i) values[i] = static_cast<std::uint8_t>(i);
  Tensor u8(strata::Shape{2, 3, 4}, values);
  write_idx(dir.file("raw.idx"), u8);
  CHECK(read_bytes(dir.file("raw.idx")) == uint8_idx());

  Tensor i32(strata::Shape{3}, std::vector<std::int32_t>{1, -2, 0x01020304});
  write_idx(dir.file("i.idx"), i32);
  CHECK(read_bytes(dir.file("i.idx")) ==
        Bytes{0, 0, 0x0C, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE, 1, 2, 3, 4});

  for (const Tensor& t : {u8, i32, strata::tensor({{1.5f, -2.25f}, {0.f, 3e38f}})}) {
    const std::string path = dir.file("t.idx.gz");
    write_idx(path, t);
    Bytes gz = read_bytes(path);
    REQUIRE(gz.size() >= 2);
    CHECK(gz[0] == 0x1F);  // gzip magic
    CHECK(gz[1] == 0x8B);
    Tensor back = read_idx(path);
    CHECK(back.dtype() == t.dtype());
    CHECK(back.shape() == t.shape());
    CHECK(read_bytes(path).size() == gz.size());
    CHECK(std::equal(static_cast<const char*>(back.raw()), static_cast<const char*>(back.raw()) + back.nbytes(),
                     static_cast<const char*>(t.raw())));
  }
}

TEST_CASE("read_idx: a missing file names the path") {
  TempDir dir;
  const std::string path = dir.file("nope-idx1-ubyte.gz");
  CHECK_THROWS_AS(read_idx(path), strata::FileFormatError);
  const std::string msg = error_of(path);
  CHECK(msg.find(path) != std::string::npos);
  CHECK(msg.find("does not exist") != std::string::npos);
  CHECK(error_of(dir.path.string()).find("is a directory") != std::string::npos);
}

TEST_CASE("read_idx: bad magic numbers") {
  TempDir dir;
  const std::string path = dir.file("bad.idx");
  struct Case {
    Bytes bytes;
    const char* magic;
  };
  for (const Case& c : {Case{{1, 2, 3, 4, 0, 0, 0, 0}, "0x01020304"},      // nonzero leading bytes
                        Case{{0x89, 'P', 'N', 'G', 0, 0, 0, 0}, "0x89504E47"},  // another format
                        Case{{0, 0, 0x07, 1, 0, 0, 0, 0}, "0x00000701"},     // unknown type code
                        Case{{0, 0, 0x08, 0, 0, 0, 0, 0}, "0x00000800"}}) {  // zero dimensions
    write_bytes(path, c.bytes);
    CHECK_THROWS_AS(read_idx(path), strata::FileFormatError);
    const std::string msg = error_of(path);
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find(std::string("bad magic number ") + c.magic) != std::string::npos);
  }
}

TEST_CASE("read_idx: element types strata lacks raise UnsupportedError") {
  TempDir dir;
  const std::string path = dir.file("t.idx");
  for (auto [code, name] : {std::pair{0x09, "int8"}, std::pair{0x0B, "int16"}, std::pair{0x0E, "float64"}}) {
    write_bytes(path, {0, 0, static_cast<unsigned char>(code), 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK_THROWS_AS(read_idx(path), strata::UnsupportedError);
    const std::string msg = error_of(path);
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find(name) != std::string::npos);
  }
}

TEST_CASE("read_idx: truncated header") {
  TempDir dir;
  const std::string path = dir.file("short.idx");
  write_bytes(path, {});
  CHECK_THROWS_AS(read_idx(path), strata::FileFormatError);
  CHECK(error_of(path).find("truncated header: expected 4 bytes of magic number, got 0") != std::string::npos);
  write_bytes(path, {0, 0});
  CHECK(error_of(path).find("got 2") != std::string::npos);
  // Three dimensions need 16 header bytes; only two sizes follow the magic number.
  write_bytes(path, {0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 3});
  const std::string msg = error_of(path);
  CHECK(msg.find(path) != std::string::npos);
  CHECK(msg.find("truncated header: 3 dimensions need 16 header bytes, got 12") != std::string::npos);
}

TEST_CASE("read_idx: truncated data says how many bytes were expected and found") {
  TempDir dir;
  const std::string path = dir.file("short.idx");
  Bytes b = uint8_idx();
  b.resize(b.size() - 4);
  write_bytes(path, b);
  CHECK_THROWS_AS(read_idx(path), strata::FileFormatError);
  const std::string msg = error_of(path);
  CHECK(msg.find(path) != std::string::npos);
  CHECK(msg.find("is truncated: shape (2, 3, 4) of uint8 needs 24 data bytes after the 16-byte header, got 20") !=
        std::string::npos);
  // int32 elements count four bytes each.
  write_bytes(path, {0, 0, 0x0C, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0});
  CHECK(error_of(path).find("needs 12 data bytes after the 8-byte header, got 7") != std::string::npos);
}

TEST_CASE("read_idx: a cut-off gzip file is reported, not read short") {
  TempDir dir;
  const std::string path = dir.file("big.idx.gz");
  std::vector<std::uint8_t> values(100000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint8_t>((i * 7919) >> 3);
  write_idx(path, Tensor(strata::Shape{100, 1000}, values));
  fs::resize_file(path, fs::file_size(path) / 2);
  CHECK_THROWS_AS(read_idx(path), strata::FileFormatError);
  CHECK(error_of(path).find(path) != std::string::npos);
}

TEST_CASE("write_idx rejects what IDX cannot hold") {
  TempDir dir;
  CHECK_THROWS_AS(write_idx(dir.file("a.idx"), Tensor(strata::Shape{2}, DType::int64)), strata::UnsupportedError);
  CHECK_THROWS_AS(write_idx(dir.file("a.idx"), Tensor(strata::Shape{}, DType::uint8)), strata::ValueError);
}
