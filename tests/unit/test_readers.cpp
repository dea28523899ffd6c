// .npy/.npz and CSV readers: numpy-written files (tests/data/npy, made by make_npy_files.py there), round trips,
// and the typed errors for bad input.
#include <doctest/doctest.h>

#include <strata/api/saving/zip.hpp>
#include <strata/datasets/csv.hpp>
#include <strata/datasets/image_io.hpp>
#include <strata/datasets/npy.hpp>
#include <strata/datasets/numpy_random.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
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
           ("strata_test_readers_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string data_file(const std::string& name) { return std::string(STRATA_SOURCE_DIR) + "/tests/data/npy/" + name; }

// The generator's grid: value at (i, j, k) of shape (2, 3, 4) is 12 i + 4 j + k, so element n (C order) is n.
template <typename F>
std::vector<double> grid_values(F f) {
  std::vector<double> out;
  for (int n = 0; n < 24; ++n) out.push_back(f(static_cast<double>(n)));
  return out;
}

std::vector<double> as_doubles(const Tensor& t) {
  std::vector<double> out;
  for (std::int64_t i = 0; i < t.size(); ++i) out.push_back(t.item(i));
  return out;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

template <typename E, typename F>
std::string error_text(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("read_npy reads numpy-written files of every supported dtype and byte order") {
  struct Case {
    const char* file;
    DType dtype;
    double (*value)(double);
  };
  const Case cases[] = {
      {"f4_le.npy", DType::float32, [](double n) { return n * 0.5 - 3; }},
      {"f8_be.npy", DType::float32, [](double n) { return n * 0.25 - 1; }},
      {"f2_le.npy", DType::float32, [](double n) { return n - 12; }},
      {"i1.npy", DType::int32, [](double n) { return n - 12; }},
      {"i2_be.npy", DType::int32, [](double n) { return n * -1000; }},
      {"u2_le.npy", DType::int32, [](double n) { return n * 2000; }},
      {"i4_be.npy", DType::int32, [](double n) { return n * -100000; }},
      {"u4_be.npy", DType::int64, [](double n) { return n * 150000000; }},
      {"i8_le.npy", DType::int64, [](double n) { return n * -1e15; }},
      {"u8_be.npy", DType::int64, [](double n) { return n * 1e17; }},
      {"u1.npy", DType::uint8, [](double n) { return n * 10; }},
      {"bool.npy", DType::uint8, [](double n) { return std::fmod(n, 3) == 0 ? 1.0 : 0.0; }},
      {"fortran_f4.npy", DType::float32, [](double n) { return n * 0.5 - 3; }},
      {"fortran_i8_be.npy", DType::int64, [](double n) { return n * -1e15; }},
      {"v2_f4.npy", DType::float32, [](double n) { return n * 0.5 - 3; }},
      {"v3_i4.npy", DType::int32, [](double n) { return n * -100000; }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const Tensor t = ds::read_npy(data_file(c.file));
    CHECK(t.dtype() == c.dtype);
    CHECK(t.shape() == Shape{2, 3, 4});
    CHECK(as_doubles(t) == grid_values(c.value));
  }
  // the exact int64 of a uint64 / int64 file, beyond double's 53 bits
  CHECK(ds::read_npy(data_file("u8_be.npy")).data<std::int64_t>()[23] == std::int64_t{2300000000000000000});
  const Tensor scalar = ds::read_npy(data_file("scalar_f8.npy"));
  CHECK(scalar.shape() == Shape{});
  CHECK(scalar.item() == 2.5);
  CHECK(ds::read_npy(data_file("empty_f4.npy")).shape() == Shape{0, 3});
}

TEST_CASE("read_npy rejects what strata cannot hold with UnsupportedError") {
  for (const char* file : {"complex.npy", "strings.npy", "u8_too_big.npy"}) {
    CAPTURE(file);
    const std::string message = error_text<strata::UnsupportedError>([&] { ds::read_npy(data_file(file)); });
    CHECK(message.find(file) != std::string::npos);
  }
  CHECK(error_text<strata::UnsupportedError>([] { ds::read_npy(data_file("complex.npy")); })
            .find("dtype '<c8'") != std::string::npos);
  CHECK(error_text<strata::UnsupportedError>([] { ds::read_npy(data_file("u8_too_big.npy")); })
            .find("18446744073709551615 does not fit") != std::string::npos);
}

TEST_CASE("write_npy round-trips every dtype and matches numpy's layout") {
  TempDir dir;
  Tensor f({2, 3}, std::vector<float>{1.5f, -2, 3, 0, 1e-8f, 1e30f});
  Tensor i({4}, std::vector<std::int32_t>{-7, 0, 7, 2147483647});
  Tensor l({1, 2}, std::vector<std::int64_t>{-(std::int64_t{1} << 60), 5});
  Tensor u({2, 1, 2}, std::vector<std::uint8_t>{0, 1, 254, 255});
  for (const Tensor* t : {&f, &i, &l, &u}) {
    ds::write_npy(dir.file("t.npy"), *t);
    const Tensor back = ds::read_npy(dir.file("t.npy"));
    CHECK(back.dtype() == t->dtype());
    CHECK(back.shape() == t->shape());
    CHECK(as_doubles(back) == as_doubles(*t));
  }
  // byte-identical to numpy's own file for the same array: version 1.0, header padded to 64 bytes
  const Tensor grid = ds::read_npy(data_file("f4_le.npy"));
  CHECK(ds::encode_npy(grid) == ds::read_file_bytes(data_file("f4_le.npy")));
  CHECK(std::string(reinterpret_cast<const char*>(ds::encode_npy(i).data()) + 10, 60)
            .find("'shape': (4,), }") != std::string::npos);
}

TEST_CASE("parse_npy names the file and what is wrong for bad or truncated input") {
  auto bytes = ds::read_file_bytes(data_file("f4_le.npy"));
  auto err = [&](std::vector<std::uint8_t> b) {
    return error_text<strata::FileFormatError>([&] { ds::parse_npy(b, "x.npy"); });
  };
  CHECK(err({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0}).find("'x.npy' does not start with the magic string") !=
        std::string::npos);
  auto wrong_version = bytes;
  wrong_version[6] = 4;
  CHECK(err(wrong_version).find("format version 4.0") != std::string::npos);
  CHECK(err(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 40)).find("truncated: its header declares") !=
        std::string::npos);
  CHECK(err(std::vector<std::uint8_t>(bytes.begin(), bytes.end() - 1))
            .find("truncated: shape (2, 3, 4) needs 96 data bytes after the 128-byte header, got 95") !=
        std::string::npos);
  auto broken = bytes;
  broken[20] = '?';  // inside "descr"
  CHECK(err(broken).find("'x.npy'") != std::string::npos);
}

TEST_CASE("read_npz and write_npz: numpy's stored and deflated archives, and round trips") {
  const auto stored = ds::read_npz(data_file("stored.npz"));
  REQUIRE(stored.size() == 2);
  CHECK(as_doubles(stored.at("a")) == grid_values([](double n) { return n * 0.5 - 3; }));
  CHECK(stored.at("b").dtype() == DType::uint8);
  CHECK(as_doubles(stored.at("b")) == grid_values([](double n) { return n * 10; }));
  const auto deflated = ds::read_npz(data_file("deflated.npz"));
  REQUIRE(deflated.size() == 2);
  CHECK(as_doubles(deflated.at("a")) == grid_values([](double n) { return n * 0.5 - 3; }));
  CHECK(deflated.at("labels").dtype() == DType::int64);
  CHECK(as_doubles(deflated.at("labels")) == std::vector<double>{0, 1, 2, 3, 4});

  TempDir dir;
  for (bool compressed : {false, true}) {
    CAPTURE(compressed);
    std::map<std::string, Tensor> arrays;
    arrays["x"] = Tensor({3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6});
    arrays["y"] = Tensor({3}, std::vector<std::int32_t>{7, 8, 9});
    arrays["zeros"] = Tensor({1000}, DType::uint8);
    ds::write_npz(dir.file("a.npz"), arrays, compressed);
    const auto back = ds::read_npz(dir.file("a.npz"));
    REQUIRE(back.size() == 3);
    for (const auto& [key, t] : arrays) CHECK(as_doubles(back.at(key)) == as_doubles(t));
    // deflate shrinks the 1000 zero bytes
    CHECK((fs::file_size(dir.file("a.npz")) < 800) == compressed);
  }
  CHECK(error_text<strata::FileFormatError>([&] { ds::read_npz(dir.file("missing.npz")); })
            .find("missing.npz' does not exist") != std::string::npos);
  write_text(dir.file("bad.npz"), "this is not a zip archive");
  CHECK(error_text<strata::FileFormatError>([&] { ds::read_npz(dir.file("bad.npz")); })
            .find("not a readable ZIP archive") != std::string::npos);
  // a member holding a truncated .npy names the archive and the member
  {
    strata::zip::Writer writer(dir.file("cut.npz"));
    const auto bytes = ds::read_file_bytes(data_file("f4_le.npy"));
    writer.add("w.npy", std::string(bytes.begin(), bytes.end() - 8));
    writer.close();
  }
  CHECK(error_text<strata::FileFormatError>([&] { ds::read_npz(dir.file("cut.npz")); })
            .find("cut.npz: w.npy' is truncated") != std::string::npos);
}

TEST_CASE("numpy_legacy_shuffled_range reproduces np.random.RandomState(seed).shuffle(np.arange(n))") {
  // printed by numpy 2.4 in the interop venv
  CHECK(ds::numpy_legacy_shuffled_range(20, 113) ==
        std::vector<std::int64_t>{14, 11, 19, 17, 1, 4, 8, 3, 13, 15, 16, 9, 0, 7, 6, 18, 12, 10, 2, 5});
  CHECK(ds::numpy_legacy_shuffled_range(10, 0) == std::vector<std::int64_t>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5});
  const auto boston = ds::numpy_legacy_shuffled_range(506, 113);
  CHECK(std::vector<std::int64_t>(boston.begin(), boston.begin() + 10) ==
        std::vector<std::int64_t>{22, 202, 368, 335, 461, 323, 382, 143, 146, 141});
  CHECK(ds::numpy_legacy_shuffled_range(1, 5) == std::vector<std::int64_t>{0});
  CHECK(ds::numpy_legacy_shuffled_range(0, 5).empty());
}

TEST_CASE("read_csv: header, column selection, label column, quoting and missing values") {
  TempDir dir;
  write_text(dir.file("a.csv"),
             "\xEF\xBB\xBFid,\"name, with comma\",price,rooms\r\n"
             "1,\"say \"\"hi\"\"\",10.5,3\r\n"
             "\r\n"
             "2,\"multi\nline\", -2e3 ,4\r\n"
             "3,plain,,5\r\n");
  SUBCASE("label by name, features by name in the given order, empty fields filled") {
    const auto data = ds::read_csv(dir.file("a.csv"), {.select_columns = {"rooms", "id"},
                                                       .label_column = "price",
                                                       .missing_value = -1.0f});
    CHECK(data.x.shape() == Shape{3, 2});
    CHECK(data.x.to_vector() == std::vector<float>{3, 1, 4, 2, 5, 3});
    CHECK(data.y.shape() == Shape{3});
    CHECK(data.y.to_vector() == std::vector<float>{10.5f, -2000, -1});
    CHECK(data.column_names == std::vector<std::string>{"rooms", "id"});
    CHECK(data.label_name == "price");
  }
  SUBCASE("columns by index; an empty field without missing_value is an error naming file, line and column") {
    const auto data = ds::read_csv(dir.file("a.csv"), {.select_columns = {0, 3}});
    CHECK(data.x.to_vector() == std::vector<float>{1, 3, 2, 4, 3, 5});
    CHECK(data.y.empty());
    const std::string message =
        error_text<strata::FileFormatError>([&] { ds::read_csv(dir.file("a.csv"), {.select_columns = {0}, .label_column = 2}); });
    CHECK(message.find("a.csv', line 6: column 'price' is empty") != std::string::npos);
    // every column but the label: the text column is not a number
    CHECK(error_text<strata::FileFormatError>([&] {
            ds::read_csv(dir.file("a.csv"), {.label_column = "id", .missing_value = 0.0f});
          }).find("line 2: column 'name, with comma' holds 'say \"hi\"', not a number") != std::string::npos);
  }
  SUBCASE("no header: names are column_<i>; names cannot select") {
    write_text(dir.file("b.csv"), "1;2\n3;4\n");
    const auto data = ds::read_csv(dir.file("b.csv"), {.header = false, .delimiter = ';', .label_column = 0});
    CHECK(data.x.to_vector() == std::vector<float>{2, 4});
    CHECK(data.y.to_vector() == std::vector<float>{1, 3});
    CHECK(data.column_names == std::vector<std::string>{"column_1"});
    CHECK_THROWS_AS(ds::read_csv(dir.file("b.csv"), {.header = false, .select_columns = {"a"}}), strata::ValueError);
  }
  SUBCASE("bad input: ragged rows, unknown columns, unterminated quotes, missing or empty files") {
    write_text(dir.file("ragged.csv"), "a,b,c\n1,2,3\n4,5\n");
    CHECK(error_text<strata::FileFormatError>([&] { ds::read_csv(dir.file("ragged.csv")); })
              .find("ragged.csv', line 3: expected 3 columns, found 2") != std::string::npos);
    CHECK(error_text<strata::ValueError>([&] { ds::read_csv(dir.file("ragged.csv"), {.select_columns = {"z"}}); })
              .find("'z' is not a column of the file ('a', 'b', 'c')") != std::string::npos);
    CHECK(error_text<strata::ValueError>([&] { ds::read_csv(dir.file("ragged.csv"), {.label_column = 3}); })
              .find("label_column index 3 is out of range") != std::string::npos);
    write_text(dir.file("quote.csv"), "a,b\n1,\"2\n");
    CHECK(error_text<strata::FileFormatError>([&] { ds::read_csv(dir.file("quote.csv")); })
              .find("line 2: a quoted field is never closed") != std::string::npos);
    write_text(dir.file("empty.csv"), "");
    CHECK(error_text<strata::FileFormatError>([&] { ds::read_csv(dir.file("empty.csv")); }).find("is empty") !=
          std::string::npos);
    CHECK(error_text<strata::FileFormatError>([&] { ds::read_csv(dir.file("none.csv")); })
              .find("none.csv' does not exist") != std::string::npos);
    // a header and no rows gives zero rows
    write_text(dir.file("head.csv"), "a,b\n");
    CHECK(ds::read_csv(dir.file("head.csv")).x.shape() == Shape{0, 2});
  }
}
