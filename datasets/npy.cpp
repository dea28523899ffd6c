#include <strata/datasets/npy.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <optional>

#include <strata/api/saving/zip.hpp>
#include <strata/datasets/image_io.hpp>

namespace strata::datasets {
namespace {

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

// numpy's element kinds that strata can hold.
enum class Kind { boolean, unsigned_int, signed_int, floating };

struct Descr {
  Kind kind;
  int size;          // bytes per element
  bool big_endian;
  DType dtype;       // where it lands
};

struct Header {
  Descr descr;
  bool fortran_order = false;
  Shape shape;
};

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  Header parse() {
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<Shape> shape;
    skip_space();
    expect('{');
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      skip_space();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[') unsupported("a structured dtype (descr " + rest() + ")");
        descr = parse_string();
      } else if (key == "fortran_order") {
        fortran = parse_bool();
      } else if (key == "shape") {
        shape = parse_shape();
      } else {
        fail("has an unknown header key '" + key + "'");
      }
      skip_space();
      if (peek() == ',') ++pos_;
    }
    if (!descr || !fortran || !shape)
      fail("has a header without " + std::string(!descr ? "'descr'" : !fortran ? "'fortran_order'" : "'shape'"));
    return {parse_descr(*descr), *fortran, *shape};
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FileFormatError(".npy " + name_ + " " + what + " (header: " + std::string(text_.substr(0, 200)) + ")");
  }
  [[noreturn]] void unsupported(const std::string& what) const {
    throw UnsupportedError(".npy " + name_ + " holds " + what +
                           "; strata reads bool, integer and float arrays (see read_npy)");
  }
  char peek() const {
    if (pos_ >= text_.size()) fail("has a header that ends early");
    return text_[pos_];
  }
  std::string rest() const { return std::string(text_.substr(pos_, 60)); }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("has a malformed header: expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  std::string parse_string() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("has a malformed header: expected a quoted name at offset " + std::to_string(pos_));
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("has a malformed header: unterminated string");
    std::string out(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return out;
  }
  bool parse_bool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail("has a malformed header: fortran_order is neither True nor False");
  }
  Shape parse_shape() {
    expect('(');
    Shape shape;
    for (;;) {
      skip_space();
      if (peek() == ')') break;
      std::int64_t value = 0;
      bool digits = false;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10) fail("declares a dimension too large");
        value = value * 10 + (text_[pos_++] - '0');
        digits = true;
      }
      if (!digits) fail("has a malformed header: expected a dimension at offset " + std::to_string(pos_));
      if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2's long literals
      shape.push_back(value);
      skip_space();
      if (peek() == ',') ++pos_;
      else if (peek() != ')') fail("has a malformed header: expected ',' or ')' in the shape");
    }
    ++pos_;
    if (shape.size() > 64) fail("declares " + std::to_string(shape.size()) + " dimensions");
    return shape;
  }
  Descr parse_descr(const std::string& d) const {
    if (d.size() < 2) fail("has a malformed descr '" + d + "'");
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=')
      unsupported("dtype '" + d + "' (no byte-order prefix)");
    const char code = d[1];
    int size = 0;
    for (std::size_t i = 2; i < d.size(); ++i) {
      if (d[i] < '0' || d[i] > '9' || size > 1000) unsupported("dtype '" + d + "'");
      size = size * 10 + (d[i] - '0');
    }
    const bool big = order == '>';
    auto ok = [&](Kind kind, DType dtype) { return Descr{kind, size, big, dtype}; };
    switch (code) {
      case 'b':
      case '?':
        if (size == 1 || (code == '?' && d.size() == 2)) return Descr{Kind::boolean, 1, false, DType::uint8};
        break;
      case 'u':
        if (size == 1) return ok(Kind::unsigned_int, DType::uint8);
        if (size == 2) return ok(Kind::unsigned_int, DType::int32);
        if (size == 4 || size == 8) return ok(Kind::unsigned_int, DType::int64);
        break;
      case 'i':
        if (size == 1 || size == 2 || size == 4) return ok(Kind::signed_int, DType::int32);
        if (size == 8) return ok(Kind::signed_int, DType::int64);
        break;
      case 'f':
        if (size == 2 || size == 4 || size == 8) return ok(Kind::floating, DType::float32);
        break;
      default: break;
    }
    unsupported("dtype '" + d + "'");
  }

  std::string_view text_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  float value;
  if (exponent == 0) value = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31) value = mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else value = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  return sign ? -value : value;
}

// Element `i` of the raw data as an unsigned integer of the element's size, byte order fixed.
std::uint64_t load_bits(const std::uint8_t* p, int size, bool big_endian) {
  std::uint64_t v = 0;
  if (big_endian)
    for (int b = 0; b < size; ++b) v = (v << 8) | p[b];
  else
    for (int b = size - 1; b >= 0; --b) v = (v << 8) | p[b];
  return v;
}

template <typename T>
void convert_to(const Descr& d, const std::uint8_t* src, T* dst, std::size_t count, const std::string& name) {
  const int size = d.size;
  for (std::size_t i = 0; i < count; ++i, src += size) {
    const std::uint64_t bits = load_bits(src, size, d.big_endian);
    switch (d.kind) {
      case Kind::boolean: dst[i] = static_cast<T>(bits != 0); break;
      case Kind::unsigned_int:
        if (size == 8 && bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          throw UnsupportedError(".npy " + name + ": uint64 element " + std::to_string(i) + " = " +
                                 std::to_string(bits) + " does not fit strata's int64");
        dst[i] = static_cast<T>(bits);
        break;
      case Kind::signed_int: {
        const int shift = 64 - 8 * size;
        dst[i] = static_cast<T>(static_cast<std::int64_t>(bits << shift) >> shift);  // sign extension
        break;
      }
      case Kind::floating:
        if (size == 2) dst[i] = static_cast<T>(half_to_float(static_cast<std::uint16_t>(bits)));
        else if (size == 4) dst[i] = static_cast<T>(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
        else dst[i] = static_cast<T>(std::bit_cast<double>(bits));
        break;
    }
  }
}

// Reorders a column-major buffer of `shape` into row-major, `element` bytes each.
std::vector<std::uint8_t> fortran_to_c(const std::uint8_t* src, const Shape& shape, std::size_t element) {
  const std::size_t count = static_cast<std::size_t>(num_elements(shape));
  std::vector<std::uint8_t> out(count * element);
  const std::size_t ndim = shape.size();
  std::vector<std::size_t> fortran_stride(ndim), index(ndim, 0);
  std::size_t stride = 1;
  for (std::size_t a = 0; a < ndim; ++a) {
    fortran_stride[a] = stride;
    stride *= static_cast<std::size_t>(shape[a]);
  }
  std::size_t offset = 0;  // column-major offset of `index`
  for (std::size_t i = 0; i < count; ++i) {
    std::memcpy(out.data() + i * element, src + offset * element, element);
    for (std::size_t a = ndim; a-- > 0;) {  // row-major increment of `index`
      if (++index[a] < static_cast<std::size_t>(shape[a])) {
        offset += fortran_stride[a];
        break;
      }
      offset -= (index[a] - 1) * fortran_stride[a];
      index[a] = 0;
    }
  }
  return out;
}

const char* descr_of(DType dtype) {
  switch (dtype) {
    case DType::uint8: return "|u1";
    case DType::int32: return "<i4";
    case DType::int64: return "<i8";
    case DType::float32: return "<f4";
  }
  return "";
}

}  // namespace

Tensor parse_npy(std::span<const std::uint8_t> bytes, const std::string& name) {
  const std::string shown = "'" + name + "'";
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0)
    throw FileFormatError(".npy " + shown + " does not start with the magic string \\x93NUMPY (is it a .npy file?)");
  const int major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor != 0)
    throw FileFormatError(".npy " + shown + " has format version " + std::to_string(major) + "." +
                          std::to_string(minor) + "; strata reads 1.0, 2.0 and 3.0");
  std::size_t header_len, header_start;
  if (major == 1) {
    header_len = bytes[8] | (std::size_t{bytes[9]} << 8);
    header_start = 10;
  } else {
    if (bytes.size() < 12) throw FileFormatError(".npy " + shown + " is truncated inside its preamble");
    header_len = load_bits(bytes.data() + 8, 4, false);
    header_start = 12;
  }
  if (header_len > bytes.size() - header_start)
    throw FileFormatError(".npy " + shown + " is truncated: its header declares " + std::to_string(header_len) +
                          " bytes, " + std::to_string(bytes.size() - header_start) + " remain");
  const std::string_view text(reinterpret_cast<const char*>(bytes.data() + header_start), header_len);
  const Header header = HeaderParser(text, shown).parse();

  std::size_t count = 1;
  for (auto d : header.shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / 16 / static_cast<std::size_t>(d))
      throw FileFormatError(".npy " + shown + " declares a shape too large to hold in memory: " + shape_str(header.shape));
    count *= static_cast<std::size_t>(d);
  }
  const std::size_t data_start = header_start + header_len;
  const std::size_t needed = count * static_cast<std::size_t>(header.descr.size);
  if (bytes.size() - data_start < needed)
    throw FileFormatError(".npy " + shown + " is truncated: shape " + shape_str(header.shape) + " needs " +
                          std::to_string(needed) + " data bytes after the " + std::to_string(data_start) +
                          "-byte header, got " + std::to_string(bytes.size() - data_start));

  const std::uint8_t* data = bytes.data() + data_start;
  std::vector<std::uint8_t> reordered;
  if (header.fortran_order && header.shape.size() > 1) {
    reordered = fortran_to_c(data, header.shape, static_cast<std::size_t>(header.descr.size));
    data = reordered.data();
  }
  Tensor out(header.shape, header.descr.dtype);
  switch (header.descr.dtype) {
    case DType::uint8: convert_to(header.descr, data, out.data<std::uint8_t>(), count, shown); break;
    case DType::int32: convert_to(header.descr, data, out.data<std::int32_t>(), count, shown); break;
    case DType::int64: convert_to(header.descr, data, out.data<std::int64_t>(), count, shown); break;
    case DType::float32: convert_to(header.descr, data, out.data<float>(), count, shown); break;
  }
  return out;
}

Tensor read_npy(const std::string& path) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file_bytes(path);
  } catch (const FileFormatError&) {
    rethrow_with_prefix(".npy file: ");
  }
  return parse_npy(bytes, path);
}

std::vector<std::uint8_t> encode_npy(const Tensor& tensor) {
  std::string header = std::string("{'descr': '") + descr_of(tensor.dtype()) + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < tensor.shape().size(); ++i) {
    if (tensor.shape()[i] < 0)
      throw ValueError("encode_npy: shape " + shape_str(tensor.shape()) + " has an unknown dimension");
    header += std::to_string(tensor.shape()[i]) + (tensor.shape().size() == 1 ? "," : i + 1 < tensor.shape().size() ? ", " : "");
  }
  header += "), }";
  // as numpy: the data starts at a multiple of 64 bytes, the header padded with spaces and ended by '\n'
  const bool v2 = header.size() + 11 > 65535;
  const std::size_t preamble = v2 ? 12 : 10;
  const std::size_t total = (preamble + header.size() + 1 + 63) / 64 * 64;
  header.append(total - preamble - header.size() - 1, ' ');
  header += '\n';
  std::vector<std::uint8_t> out(kMagic, kMagic + 6);
  out.push_back(v2 ? 2 : 1);
  out.push_back(0);
  const std::size_t len = header.size();
  out.push_back(static_cast<std::uint8_t>(len));
  out.push_back(static_cast<std::uint8_t>(len >> 8));
  if (v2) {
    out.push_back(static_cast<std::uint8_t>(len >> 16));
    out.push_back(static_cast<std::uint8_t>(len >> 24));
  }
  out.insert(out.end(), header.begin(), header.end());
  const auto* raw = static_cast<const std::uint8_t*>(tensor.raw());
  const std::size_t start = out.size();
  out.insert(out.end(), raw, raw + tensor.nbytes());
  if constexpr (std::endian::native == std::endian::big) {
    const std::size_t size = dtype_size(tensor.dtype());
    for (std::size_t i = start; i + size <= out.size(); i += size) std::reverse(out.begin() + i, out.begin() + i + size);
  }
  return out;
}

void write_npy(const std::string& path, const Tensor& tensor) {
  const std::vector<std::uint8_t> bytes = encode_npy(tensor);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error("write_npy: cannot write '" + path + "'");
}

std::map<std::string, Tensor> read_npz(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw FileFormatError(".npz file '" + path + "' does not exist");
  zip::Reader archive(path);
  std::map<std::string, Tensor> arrays;
  for (const std::string& member : archive.names()) {
    if (member.size() < 4 || member.compare(member.size() - 4, 4, ".npy") != 0) continue;
    std::string bytes;
    try {
      bytes = archive.read(member);
    } catch (const std::bad_alloc&) {
      throw FileFormatError(".npz file '" + path + "': member " + member + " declares more bytes than memory holds");
    }
    arrays[member.substr(0, member.size() - 4)] =
        parse_npy({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, path + ": " + member);
  }
  return arrays;
}

void write_npz(const std::string& path, const std::map<std::string, Tensor>& arrays, bool compressed) {
  zip::Writer archive(path);
  for (const auto& [key, tensor] : arrays) {
    const std::vector<std::uint8_t> bytes = encode_npy(tensor);
    archive.add(key + ".npy", std::string(bytes.begin(), bytes.end()), compressed);
  }
  archive.close();
}

}  // namespace strata::datasets
