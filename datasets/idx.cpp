#include <strata/datasets/idx.hpp>

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <vector>

namespace strata::datasets {
namespace {

struct GzClose {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", digits, value);
  return buf;
}

// zlib prefixes its messages with the path; the callers name the path themselves.
std::string gz_message(gzFile file, const std::string& path) {
  int errnum = Z_OK;
  const char* msg = gzerror(file, &errnum);
  if (errnum == Z_ERRNO) return std::strerror(errno);
  std::string text = msg ? msg : "unknown zlib error";
  if (text.rfind(path + ": ", 0) == 0) text.erase(0, path.size() + 2);
  return text;
}

// Reads until `count` bytes or the end of the stream; a damaged stream throws.
std::size_t read_some(gzFile file, unsigned char* dst, std::size_t count, const std::string& path,
                      const std::string& what) {
  std::size_t done = 0;
  while (done < count) {
    unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(count - done, std::size_t{1} << 30));
    int n = gzread(file, dst + done, chunk);
    if (n < 0)
      throw FileFormatError("IDX file '" + path + "' is corrupt or truncated while reading " + what + " (" +
                            std::to_string(done) + " of " + std::to_string(count) + " bytes read): " +
                            gz_message(file, path));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::uint32_t load_be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

void swap_bytes_4(unsigned char* data, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i, data += 4) {
    std::swap(data[0], data[3]);
    std::swap(data[1], data[2]);
  }
}

struct ElementType {
  bool known;
  bool supported;
  DType dtype;
  const char* name;
};

ElementType element_type(unsigned code) {
  switch (code) {
    case 0x08: return {true, true, DType::uint8, "uint8"};
    case 0x09: return {true, false, DType::uint8, "int8"};
    case 0x0B: return {true, false, DType::uint8, "int16"};
    case 0x0C: return {true, true, DType::int32, "int32"};
    case 0x0D: return {true, true, DType::float32, "float32"};
    case 0x0E: return {true, false, DType::uint8, "float64"};
    default: return {false, false, DType::uint8, ""};
  }
}

unsigned type_code(DType dtype) {
  switch (dtype) {
    case DType::uint8: return 0x08;
    case DType::int32: return 0x0C;
    case DType::float32: return 0x0D;
    default: return 0;
  }
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Tensor read_idx(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw FileFormatError("IDX file '" + path + "' does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw FileFormatError("IDX file '" + path + "' is a directory, not a file");
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file)
    throw FileFormatError("IDX file '" + path + "' cannot be opened: " +
                          (errno ? std::strerror(errno) : "out of memory"));
  gzbuffer(file.get(), 256 * 1024);

  unsigned char magic[4];
  std::size_t got = read_some(file.get(), magic, 4, path, "the header");
  if (got < 4)
    throw FileFormatError("IDX file '" + path + "' has a truncated header: expected 4 bytes of magic number, got " +
                          std::to_string(got));
  const std::uint32_t magic_value = load_be32(magic);
  const ElementType type = element_type(magic[2]);
  if (magic[0] != 0 || magic[1] != 0 || !type.known || magic[3] == 0)
    throw FileFormatError("IDX file '" + path + "' has bad magic number " + hex(magic_value, 8) +
                          ": expected 0x0000TTNN with type code TT in {08 uint8, 09 int8, 0B int16, 0C int32, "
                          "0D float32, 0E float64} and NN >= 1 dimensions (is it an IDX file?)");
  if (!type.supported)
    throw UnsupportedError("IDX file '" + path + "' holds " + type.name + " elements (type code " +
                           hex(magic[2], 2) + "); strata reads IDX files of uint8, int32 and float32");

  const unsigned ndim = magic[3];
  std::vector<unsigned char> dims_raw(4 * ndim);
  got = read_some(file.get(), dims_raw.data(), dims_raw.size(), path, "the header");
  if (got < dims_raw.size())
    throw FileFormatError("IDX file '" + path + "' has a truncated header: " + std::to_string(ndim) +
                          " dimensions need " + std::to_string(4 + dims_raw.size()) + " header bytes, got " +
                          std::to_string(4 + got));

  Shape shape(ndim);
  const std::size_t element_size = dtype_size(type.dtype);
  std::size_t expected = element_size;
  constexpr std::size_t max_bytes = std::numeric_limits<std::size_t>::max() / 2;
  for (unsigned i = 0; i < ndim; ++i) {
    shape[i] = load_be32(&dims_raw[4 * i]);
    if (shape[i] != 0 && expected > max_bytes / static_cast<std::size_t>(shape[i]))
      throw FileFormatError("IDX file '" + path + "' declares dimensions too large to hold in memory");
    expected *= static_cast<std::size_t>(shape[i]);
  }

  // Grows with the bytes actually present, so a header that lies about its size cannot force a huge allocation.
  std::vector<unsigned char> data;
  constexpr std::size_t chunk = std::size_t{16} << 20;
  while (data.size() < expected) {
    const std::size_t before = data.size();
    const std::size_t want = std::min(expected - before, chunk);
    data.resize(before + want);
    got = read_some(file.get(), data.data() + before, want, path, "the data");
    data.resize(before + got);
    if (got < want) break;
  }
  if (data.size() < expected)
    throw FileFormatError("IDX file '" + path + "' is truncated: shape " + shape_str(shape) + " of " + type.name +
                          " needs " + std::to_string(expected) + " data bytes after the " +
                          std::to_string(4 + 4 * ndim) + "-byte header, got " + std::to_string(data.size()));
  if (element_size == 4 && std::endian::native == std::endian::little) swap_bytes_4(data.data(), expected / 4);
  return Tensor::from_data(std::move(shape), type.dtype, data.data());
}

void write_idx(const std::string& path, const Tensor& tensor) {
  const unsigned code = type_code(tensor.dtype());
  if (code == 0)
    throw UnsupportedError("write_idx('" + path + "'): dtype " + std::string(dtype_name(tensor.dtype())) +
                           " has no IDX type; use uint8, int32 or float32");
  if (tensor.ndim() < 1 || tensor.ndim() > 255)
    throw ValueError("write_idx('" + path + "'): IDX needs 1 to 255 dimensions, got shape " +
                     shape_str(tensor.shape()));
  std::vector<unsigned char> bytes{0, 0, static_cast<unsigned char>(code), static_cast<unsigned char>(tensor.ndim())};
  for (auto d : tensor.shape()) {
    if (d > std::numeric_limits<std::uint32_t>::max())
      throw ValueError("write_idx('" + path + "'): dimension " + std::to_string(d) + " of shape " +
                       shape_str(tensor.shape()) + " does not fit IDX's 32-bit sizes");
    const auto u = static_cast<std::uint32_t>(d);
    bytes.insert(bytes.end(), {static_cast<unsigned char>(u >> 24), static_cast<unsigned char>(u >> 16),
                               static_cast<unsigned char>(u >> 8), static_cast<unsigned char>(u)});
  }
  const std::size_t header = bytes.size();
  const auto* raw = static_cast<const unsigned char*>(tensor.raw());
  bytes.insert(bytes.end(), raw, raw + tensor.nbytes());
  if (dtype_size(tensor.dtype()) == 4 && std::endian::native == std::endian::little)
    swap_bytes_4(bytes.data() + header, tensor.nbytes() / 4);

  // "T" writes a plain file through the same API.
  errno = 0;
  GzFile file(gzopen(path.c_str(), ends_with(path, ".gz") ? "wb" : "wbT"));
  if (!file)
    throw Error("write_idx: cannot create '" + path + "': " + (errno ? std::strerror(errno) : "out of memory"));
  std::size_t done = 0;
  while (done < bytes.size()) {
    unsigned n = static_cast<unsigned>(std::min<std::size_t>(bytes.size() - done, std::size_t{1} << 30));
    if (gzwrite(file.get(), bytes.data() + done, n) != static_cast<int>(n))
      throw Error("write_idx: writing '" + path + "' failed: " + gz_message(file.get(), path));
    done += n;
  }
  if (gzclose(file.release()) != Z_OK) throw Error("write_idx: closing '" + path + "' failed");
}

}  // namespace strata::datasets

namespace strata::datasets {
namespace {

Split load_split(const std::string& directory, const std::string& dataset, const char* images_name,
                 const char* labels_name) {
  const std::string images_path = (std::filesystem::path(directory) / images_name).string();
  const std::string labels_path = (std::filesystem::path(directory) / labels_name).string();
  Split split{read_idx(images_path), read_idx(labels_path)};
  if (split.x.ndim() != 3 || split.x.dtype() != DType::uint8)
    throw FileFormatError(dataset + " images '" + images_path + "' should be uint8 of shape (N, rows, cols), got " +
                          std::string(dtype_name(split.x.dtype())) + " " + shape_str(split.x.shape()));
  if (split.y.ndim() != 1 || split.y.dtype() != DType::uint8)
    throw FileFormatError(dataset + " labels '" + labels_path + "' should be uint8 of shape (N,), got " +
                          std::string(dtype_name(split.y.dtype())) + " " + shape_str(split.y.shape()));
  if (split.x.dim(0) != split.y.dim(0))
    throw FileFormatError(dataset + ": '" + images_path + "' holds " + std::to_string(split.x.dim(0)) +
                          " images but '" + labels_path + "' holds " + std::to_string(split.y.dim(0)) + " labels");
  return split;
}

}  // namespace

TrainTest load_mnist_layout(const std::string& directory, const std::string& dataset, const std::string& how_to_get) {
  static constexpr const char* names[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
  std::string missing;
  std::error_code ec;
  for (const char* name : names) {
    const auto path = std::filesystem::path(directory) / name;
    if (!std::filesystem::is_regular_file(path, ec)) missing += (missing.empty() ? "'" : ", '") + path.string() + "'";
  }
  if (!missing.empty())
    throw FileFormatError(dataset + " data not found: missing " + missing + ". " + how_to_get);
  return {load_split(directory, dataset, names[0], names[1]), load_split(directory, dataset, names[2], names[3])};
}

}  // namespace strata::datasets
