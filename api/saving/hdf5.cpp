#include <strata/api/saving/hdf5.hpp>

#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <type_traits>

namespace strata::h5 {

static_assert(std::is_same_v<hid_t, Id>, "strata::h5::Id must be HDF5's hid_t");

namespace {

/// Attributes and datasets larger than this are treated as corrupt rather than allocated.
constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 36;

/// HDF5 prints its error stack to stderr by default; strata reports errors as exceptions instead.
/// The setting is per thread in thread-safe HDF5 builds, so every thread turns it off once.
void silence() {
  thread_local bool done = false;
  if (done) return;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  done = true;
}

/// The innermost message of HDF5's error stack ("file signature not found"), then clears the stack.
std::string take_hdf5_message() {
  std::string message;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
        auto* out = static_cast<std::string*>(data);
        if (out->empty() && err && err->desc) *out = err->desc;
        return 0;
      },
      &message);
  H5Eclear2(H5E_DEFAULT);
  return message;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  std::string detail = take_hdf5_message();
  throw FileFormatError(where + what + (detail.empty() ? "" : " (HDF5: " + detail + ")"));
}

/// Closes an HDF5 id of any kind when it goes out of scope.
class Owned {
 public:
  explicit Owned(hid_t id = H5I_INVALID_HID) : id_(id) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  ~Owned() {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
      case H5I_FILE: H5Fclose(id_); break;
      case H5I_GROUP: H5Gclose(id_); break;
      case H5I_DATASET: H5Dclose(id_); break;
      case H5I_ATTR: H5Aclose(id_); break;
      case H5I_DATATYPE: H5Tclose(id_); break;
      case H5I_DATASPACE: H5Sclose(id_); break;
      case H5I_GENPROP_LST: H5Pclose(id_); break;
      default: break;
    }
    H5Eclear2(H5E_DEFAULT);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : path) {
    if (c == '/') {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

std::string join(const std::string& base, const std::string& name) {
  if (name.empty()) return base;
  if (base.empty() || base == "/") return "/" + name;
  return base + "/" + name;
}

struct GlobalHeaps;
void check_object_header(hid_t object, const GlobalHeaps& file, const std::string& where);

/// Type of the object at `name` below `loc`, or H5I_BADID if there is none (missing intermediate
/// groups included). With `heaps` (a file opened for reading), each intermediate group's header is checked
/// (check_object_header) before HDF5 follows its links; `where` is the error prefix of `loc`'s file.
H5I_type_t object_type(hid_t loc, const std::string& name, const GlobalHeaps* heaps = nullptr,
                       const std::string& file = "") {
  auto parts = split_path(name);
  if (parts.empty()) return H5I_GROUP;
  std::string prefix;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    prefix += (prefix.empty() ? "" : "/") + parts[i];
    htri_t e = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
    if (e <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return H5I_BADID;
    }
    if (heaps && i + 1 < parts.size()) {
      Owned mid(H5Oopen(loc, prefix.c_str(), H5P_DEFAULT));
      if (!mid.valid()) {
        H5Eclear2(H5E_DEFAULT);
        return H5I_BADID;
      }
      check_object_header(mid.get(), *heaps, file + ": " + prefix + ": ");
    }
  }
  Owned obj(H5Oopen(loc, prefix.c_str(), H5P_DEFAULT));
  if (!obj.valid()) {
    H5Eclear2(H5E_DEFAULT);
    return H5I_BADID;
  }
  return H5Iget_type(obj.get());
}

std::uint64_t checked_elements(const std::vector<hsize_t>& dims, std::size_t element_size, const std::string& where,
                               const std::string& what) {
  std::uint64_t n = 1;
  for (hsize_t d : dims) {
    if (d != 0 && n > kMaxBytes / d) fail(where, what + " has an implausible size (corrupt file?)");
    n *= d;
  }
  if (element_size != 0 && n > kMaxBytes / element_size)
    fail(where, what + " has an implausible size (corrupt file?)");
  return n;
}

std::vector<hsize_t> extent(hid_t space, const std::string& where, const std::string& what) {
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail(where, "cannot read the dataspace of " + what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0)
    fail(where, "cannot read the dimensions of " + what);
  return dims;
}

hid_t file_type_of(DType d) {
  switch (d) {
    case DType::float32: return H5T_IEEE_F32LE;
    case DType::int32: return H5T_STD_I32LE;
    case DType::int64: return H5T_STD_I64LE;
    case DType::uint8: return H5T_STD_U8LE;
  }
  return H5T_IEEE_F32LE;
}

hid_t mem_type_of(DType d) {
  switch (d) {
    case DType::float32: return H5T_NATIVE_FLOAT;
    case DType::int32: return H5T_NATIVE_INT32;
    case DType::int64: return H5T_NATIVE_INT64;
    case DType::uint8: return H5T_NATIVE_UINT8;
  }
  return H5T_NATIVE_FLOAT;
}

/// Link creation properties that create missing intermediate groups ("a/b/c").
Owned intermediate_lcpl() {
  Owned lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8);
  return lcpl;
}

std::uint64_t read_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// The objects of a file's global heap collections (where variable-length strings live), by collection address
/// and object index, and the widths of the file's addresses.
struct GlobalHeaps {
  std::string filename;
  std::uint64_t file_size = 0;
  std::uint64_t superblock = 0;  // file addresses are relative to it
  int offset_size = 8, length_size = 8;
  struct Object {
    std::uint64_t begin = 0, size = 0;  // within the collection's bytes
  };
  struct Collection {
    std::vector<unsigned char> bytes;
    std::map<std::uint64_t, Object> objects;
  };
  std::map<std::uint64_t, Collection> collections;
};

/// HDF5 1.10 trusts global heaps: a corrupt object size makes it copy past the collection or loop forever,
/// and a corrupt string descriptor makes it copy an object into a smaller buffer or index a missing object.
/// So every collection is walked here as HDF5 walks it (a bad one is a FileFormatError), and its objects are
/// kept: strata's attribute reads take variable-length strings from them, never through HDF5's heap code.
std::shared_ptr<GlobalHeaps> scan_global_heaps(const std::string& filename, std::uint64_t superblock) {
  auto heaps = std::make_shared<GlobalHeaps>();
  std::ifstream in(filename, std::ios::binary);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  unsigned char sb[16] = {};
  in.seekg(static_cast<std::streamoff>(superblock));
  in.read(reinterpret_cast<char*>(sb), sizeof sb);
  in.clear();
  // sizes of offsets and lengths: bytes 13 and 14 of a version 0/1 superblock, 9 and 10 of a version 2/3 one
  const int offsets = sb[8] <= 1 ? sb[13] : sb[9];
  const int lengths = sb[8] <= 1 ? sb[14] : sb[10];
  auto valid_width = [](int w) { return w == 2 || w == 4 || w == 8; };
  if (!valid_width(offsets) || !valid_width(lengths))
    throw FileFormatError(filename + ": corrupt HDF5 superblock (sizes of offsets and lengths " +
                          std::to_string(offsets) + ", " + std::to_string(lengths) + ")");
  heaps->offset_size = offsets;
  heaps->length_size = lengths;
  heaps->filename = filename;
  heaps->file_size = file_size;
  heaps->superblock = superblock;
  static const unsigned char signature[8] = {'G', 'C', 'O', 'L', 1, 0, 0, 0};
  constexpr std::size_t chunk = 1 << 20;
  std::vector<unsigned char> buf(chunk + 8);
  for (std::uint64_t base = 0; base < file_size; base += chunk) {
    in.seekg(static_cast<std::streamoff>(base));
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    auto got = static_cast<std::size_t>(in.gcount());
    in.clear();
    // the 8 bytes read past the chunk overlap the next one, so no signature is split
    for (auto it = buf.begin(); got >= 8;) {
      it = std::search(it, buf.begin() + static_cast<std::ptrdiff_t>(got), signature, signature + 8);
      if (it == buf.begin() + static_cast<std::ptrdiff_t>(got)) break;
      const std::uint64_t at = base + static_cast<std::uint64_t>(it - buf.begin());
      ++it;
      if (at >= base + chunk) break;  // found again in the next chunk
      unsigned char size_bytes[8] = {};
      in.seekg(static_cast<std::streamoff>(at + 8));
      in.read(reinterpret_cast<char*>(size_bytes), lengths);
      in.clear();
      const std::uint64_t size = read_le(size_bytes, lengths);
      // HDF5 makes collections of at least 4096 bytes; anything else is not one (bytes inside some data)
      if (size < 4096 || size > file_size - at || size > kMaxBytes) continue;
      GlobalHeaps::Collection collection;
      collection.bytes.resize(size);
      in.seekg(static_cast<std::streamoff>(at));
      in.read(reinterpret_cast<char*>(collection.bytes.data()), static_cast<std::streamsize>(size));
      in.clear();
      const auto& heap = collection.bytes;
      const std::uint64_t header = 8 + static_cast<std::uint64_t>(lengths);
      const std::uint64_t object_header = 8 + static_cast<std::uint64_t>(lengths);
      std::uint64_t p = header;
      while (p < size) {
        if (p + object_header > size) break;  // too small for an object: free space, as HDF5 reads it
        const auto index = read_le(&heap[p], 2);
        const std::uint64_t length = read_le(&heap[p + 8], lengths);
        const std::uint64_t need = index > 0 ? object_header + (length + 7) / 8 * 8 : length;
        if (length > size || need == 0 || need > size - p)
          throw FileFormatError(filename + ": corrupt HDF5 global heap at byte " + std::to_string(at) + ": object " +
                                std::to_string(index) + " of " + std::to_string(length) +
                                " bytes does not fit its collection of " + std::to_string(size) + " bytes");
        if (index > 0) collection.objects[index] = {p + object_header, length};
        p += need;
      }
      // descriptors hold addresses relative to the superblock
      heaps->collections[at - superblock] = std::move(collection);
    }
  }
  return heaps;
}

/// The heaps of the file being read on this thread, for vlen_string_conversion.
thread_local const GlobalHeaps* reading_heaps = nullptr;

/// A conversion from on-disk variable-length strings to C strings that takes each string from the heaps
/// scan_global_heaps checked, so a corrupt descriptor is an error instead of a wild copy. HDF5 calls it for
/// strata's attribute reads only: it is registered around them.
herr_t vlen_string_conversion(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t count, size_t buf_stride, size_t,
                              void* buf, void*, hid_t) {
  const GlobalHeaps* heaps = reading_heaps;
  if (cdata->command == H5T_CONV_INIT) {
    cdata->need_bkg = H5T_BKG_NO;
    bool strings = H5Tis_variable_str(src) > 0 && H5Tis_variable_str(dst) > 0;
    // the on-disk form is (length, heap address, object index); the memory form a char*
    bool disk_to_memory = heaps && H5Tget_size(src) == 8 + static_cast<size_t>(heaps->offset_size) &&
                          H5Tget_size(dst) == sizeof(char*);
    return strings && disk_to_memory ? 0 : -1;
  }
  if (cdata->command == H5T_CONV_FREE) return 0;
  if (!heaps || buf_stride != 0) return -1;
  const std::size_t src_size = 8 + static_cast<std::size_t>(heaps->offset_size);
  auto* bytes = static_cast<unsigned char*>(buf);
  // HDF5 drops its conversion buffer when a conversion fails: free the strings of the elements already converted
  auto fail_at = [&](std::size_t i) -> herr_t {
    for (std::size_t j = 0; j < i; ++j) {
      char* done = nullptr;
      std::memcpy(&done, bytes + j * sizeof(char*), sizeof(char*));
      std::free(done);
    }
    return -1;
  };
  // in place, front to back: element i's pointer lands at or before its own (wider) descriptor
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* d = bytes + i * src_size;
    const std::uint64_t length = read_le(d, 4);
    const std::uint64_t address = read_le(d + 4, heaps->offset_size);
    const std::uint64_t index = read_le(d + 4 + heaps->offset_size, 4);
    char* text = nullptr;
    if (address != 0 || length != 0) {
      auto c = heaps->collections.find(address);
      if (c == heaps->collections.end()) return fail_at(i);
      auto o = c->second.objects.find(index);
      if (o == c->second.objects.end() || o->second.size < length) return fail_at(i);
      text = static_cast<char*>(std::malloc(length + 1));
      if (!text) return fail_at(i);
      std::memcpy(text, c->second.bytes.data() + o->second.begin, length);
      text[length] = '\0';
    } else {
      text = static_cast<char*>(std::calloc(1, 1));
    }
    std::memcpy(bytes + i * sizeof(char*), &text, sizeof(char*));
  }
  return 0;
}

/// Registers vlen_string_conversion for one read of a file with known heaps.
class CheckedStringReads {
 public:
  explicit CheckedStringReads(const GlobalHeaps* heaps) : active_(heaps != nullptr) {
    if (!active_) return;
    reading_heaps = heaps;
    Owned s(H5Tcopy(H5T_C_S1));
    H5Tset_size(s.get(), H5T_VARIABLE);
    H5Tregister(H5T_PERS_SOFT, "strata_checked_vlen_string", s.get(), s.get(), vlen_string_conversion);
  }
  ~CheckedStringReads() {
    if (!active_) return;
    H5Tunregister(H5T_PERS_SOFT, "strata_checked_vlen_string", H5I_INVALID_HID, H5I_INVALID_HID,
                  vlen_string_conversion);
    reading_heaps = nullptr;
    H5Eclear2(H5E_DEFAULT);
  }
  CheckedStringReads(const CheckedStringReads&) = delete;
  CheckedStringReads& operator=(const CheckedStringReads&) = delete;

 private:
  bool active_;
};

/// Deflate expands at most ~1032x, so no filtered dataset holds more than this many times its file's size.
constexpr std::uint64_t kMaxExpansion = 1100;

/// Refuses data that a file read through `heaps` cannot hold (`stored_bytes` of the file's own type, `expandable`
/// for filtered datasets) before anything is allocated for it: such an extent is corruption, not a large model.
void check_fits_file(std::uint64_t stored_bytes, bool expandable, const GlobalHeaps* heaps, const std::string& where,
                     const std::string& what) {
  if (!heaps) return;
  const std::uint64_t limit = heaps->file_size * (expandable ? kMaxExpansion : 1);
  if (stored_bytes > limit)
    throw FileFormatError(where + what + " declares " + std::to_string(stored_bytes) + " bytes of data, more than the " +
                          std::to_string(heaps->file_size) + "-byte file can hold (corrupt file?)");
}

/// Reads every string of a string-typed attribute.
std::vector<std::string> read_strings(hid_t attr, hid_t type, hid_t space, std::uint64_t count,
                                      const std::string& where, const std::string& what, const GlobalHeaps* heaps) {
  const std::size_t size = H5Tget_size(type);
  check_fits_file(checked_elements({count}, size, where, what) * size, false, heaps, where, what);
  std::vector<std::string> out;
  if (H5Tis_variable_str(type) > 0) {
    Owned mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type));
    std::vector<char*> buf(count, nullptr);
    herr_t read;
    {
      CheckedStringReads checked(heaps);
      read = H5Aread(attr, mem.get(), buf.data());
    }
    if (read < 0) fail(where, "cannot read " + what + " (corrupt string data?)");
    for (char* s : buf) out.emplace_back(s ? s : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mem.get(), space, H5P_DEFAULT, buf.data());
#else
    H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, buf.data());
#endif
    return out;
  }
  if (size == 0) fail(where, what + " has a zero-size string type");
  Owned mem(H5Tcopy(type));
  std::vector<char> buf(count * size);
  if (H5Aread(attr, mem.get(), buf.data()) < 0) fail(where, "cannot read " + what);
  bool space_pad = H5Tget_strpad(type) == H5T_STR_SPACEPAD;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string s(buf.data() + i * size, size);
    // NULLPAD strings that fill the width have no terminator; NULLTERM ones end at the first NUL
    if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
    if (space_pad)
      while (!s.empty() && s.back() == ' ') s.pop_back();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

namespace {

std::uint64_t align8(std::uint64_t n) { return (n + 7) / 8 * 8; }

/// HDF5 1.10 decodes an attribute message trusting the sizes inside it: a name, datatype or dataspace size (or
/// a data size) larger than the message makes it read far past the message (a wild read, found by fuzz_h5). So
/// before strata touches the attributes of an object, its object header is walked here, as HDF5 walks it (v1 and
/// v2 headers, continuation chunks), and every attribute message must hold what it declares. Attributes in dense
/// storage (a fractal heap) are not checked here; strata and Keras never write them.
/// Also: links or attributes in dense storage (a fractal heap with a v2 B-tree name index, as HDF5 writes a group
/// with many links) must point at a fractal heap header and a v2 B-tree header; HDF5 1.10 crashed on an index
/// address that points elsewhere (fuzz_h5).
void check_object_header(hid_t object, const GlobalHeaps& file, const std::string& where) {
  H5O_info_t info;
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0) fail(where, "cannot read the object header");
  std::ifstream in(file.filename, std::ios::binary);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  auto read_at = [&](std::uint64_t address, std::uint64_t size) {
    std::vector<unsigned char> bytes;
    const std::uint64_t at = file.superblock + address;
    if (address > file_size || at > file_size || size > file_size - at)
      throw FileFormatError(where + "corrupt object header: a chunk at byte " + std::to_string(address) +
                            " of " + std::to_string(size) + " bytes lies past the end of the file");
    bytes.resize(size);
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    return bytes;
  };
  const auto os = static_cast<std::uint64_t>(file.offset_size), ls = static_cast<std::uint64_t>(file.length_size);
  auto bad = [&](const std::string& what) {
    throw FileFormatError(where + "corrupt attribute message in the object header (" + what + ")");
  };
  auto check_attribute = [&](const unsigned char* d, std::uint64_t n) {
    if (n < 8) bad("shorter than its header");
    const unsigned version = d[0];
    if (version < 1 || version > 3) return;  // HDF5 rejects these itself
    const bool aligned = version == 1;
    const bool shared = version >= 2 && (d[1] & 0x3) != 0;
    const std::uint64_t name_size = read_le(d + 2, 2), dt_size = read_le(d + 4, 2), ds_size = read_le(d + 6, 2);
    std::uint64_t p = version == 3 ? 9 : 8;
    if (name_size == 0 || p + name_size > n || std::memchr(d + p, '\0', name_size) == nullptr)
      bad("the name does not fit the message");
    p += aligned ? align8(name_size) : name_size;
    const std::uint64_t dt_at = p;
    if (dt_size > n || p > n - dt_size) bad("the datatype does not fit the message");
    p += aligned ? align8(dt_size) : dt_size;
    const std::uint64_t ds_at = p;
    if (ds_size > n || p > n - ds_size) bad("the dataspace does not fit the message");
    p += aligned ? align8(ds_size) : ds_size;
    if (p > n) bad("the datatype and dataspace do not fit the message");
    if (shared || dt_size < 8 || ds_size < 4) return;
    // the data: elements x element size must fit what remains of the message
    std::uint64_t element = read_le(d + dt_at + 4, 4);
    if ((d[dt_at] & 0x0f) == 9) element = 4 + os + 4;  // variable-length: (length, heap address, index) on disk
    const unsigned ds_version = d[ds_at], rank = d[ds_at + 1];
    std::uint64_t dims_at = ds_version == 1 ? 8 : 4;
    std::uint64_t elements = 1;
    if (ds_version == 2 && d[ds_at + 3] == 2) elements = 0;  // the null dataspace
    if (dims_at + rank * ls > ds_size) bad("the dataspace's dimensions do not fit it");
    for (unsigned r = 0; r < rank; ++r) {
      const std::uint64_t dim = read_le(d + ds_at + dims_at + r * ls, static_cast<int>(ls));
      if (dim != 0 && elements > kMaxBytes / dim) bad("implausible dimensions");
      elements *= dim;
    }
    if (element != 0 && elements > kMaxBytes / element) bad("implausible data size");
    if (elements * element > n - p) bad("the data does not fit the message");
  };

  const std::uint64_t undefined = os == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * os)) - 1;
  // dense storage: the fractal heap and the v2 B-tree name index must be where the message says
  auto check_dense = [&](unsigned type, const unsigned char* d, std::uint64_t n) {
    if (type != 0x0002 && type != 0x0015) return;  // Link Info, Attribute Info
    if (n < 2) return;
    const std::uint64_t heap_at = 2 + ((d[1] & 0x1) ? (type == 0x0002 ? 8 : 2) : 0);
    if (heap_at + 2 * os > n) return;  // HDF5 rejects a short message itself
    const std::uint64_t heap = read_le(d + heap_at, static_cast<int>(os));
    const std::uint64_t index = read_le(d + heap_at + os, static_cast<int>(os));
    if (heap == undefined && index == undefined) return;  // compact storage
    const std::string what = type == 0x0002 ? "links" : "attributes";
    auto signature_at = [&](std::uint64_t address, const char* sig) {
      if (address == undefined || address > file_size || file.superblock + address > file_size - 4) return false;
      char buf[4] = {};
      in.seekg(static_cast<std::streamoff>(file.superblock + address));
      in.read(buf, 4);
      in.clear();
      return std::memcmp(buf, sig, 4) == 0;
    };
    if (!signature_at(heap, "FRHP") || !signature_at(index, "BTHD"))
      throw FileFormatError(where + "corrupt dense storage of the object's " + what +
                            ": no fractal heap and v2 B-tree header where the header points");
  };
  // HDF5 1.10 frees uninitialized entries when one link message of a compact group fails to decode: every link
  // message must decode (version, type, character set, name and target inside the message)
  auto check_link = [&](const unsigned char* d, std::uint64_t n) {
    auto bad_link = [&](const std::string& what) {
      throw FileFormatError(where + "corrupt link message in the object header (" + what + ")");
    };
    if (n < 3 || d[0] != 1) bad_link("unknown version or too short");
    const unsigned flags = d[1];
    if (flags & 0xe0) bad_link("unknown flags");
    std::uint64_t p = 2;
    unsigned type = 0;
    if (flags & 0x08) {
      type = d[p++];
      if (type > 1 && type < 64) bad_link("unknown link type " + std::to_string(type));
    }
    if (flags & 0x04) p += 8;  // creation order
    if (flags & 0x10) {
      if (p >= n || d[p] > 1) bad_link("unknown character set");
      ++p;
    }
    const std::uint64_t width = std::uint64_t{1} << (flags & 0x3);
    if (p + width > n) bad_link("the name's length does not fit the message");
    const std::uint64_t name_size = read_le(d + p, static_cast<int>(width));
    p += width;
    if (name_size == 0 || name_size > n - p) bad_link("the name does not fit the message");
    p += name_size;
    const std::uint64_t target = type == 0 ? os : 2;  // a hard link's address, or a soft/external value's length
    if (target > n - p) bad_link("the link's target does not fit the message");
    if (type != 0 && read_le(d + p, 2) > n - p - 2) bad_link("the link's value does not fit the message");
  };
  auto check_message = [&](unsigned type, const unsigned char* d, std::uint64_t n) {
    if (type == 0x000C) check_attribute(d, n);
    if (type == 0x0006) check_link(d, n);
    check_dense(type, d, n);
  };
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chunks;  // continuation chunks still to walk
  std::set<std::uint64_t> seen;
  auto walk_v1 = [&](const std::vector<unsigned char>& c, std::uint64_t end) {
    for (std::uint64_t p = 0; end >= 8 && p <= end - 8;) {
      const auto type = read_le(&c[p], 2);
      const std::uint64_t size = read_le(&c[p + 2], 2);
      const std::uint64_t data = p + 8;
      if (size > end || data > end - size) return;  // HDF5 rejects a message past its chunk itself
      check_message(static_cast<unsigned>(type), &c[data], size);
      if (type == 0x0010 && size >= os + ls)
        chunks.emplace_back(read_le(&c[data], static_cast<int>(os)), read_le(&c[data + os], static_cast<int>(ls)));
      p = data + size;
    }
  };
  std::uint64_t header_size = 0;
  {
    auto prefix = read_at(info.addr, std::min<std::uint64_t>(64, file_size - std::min(file_size, file.superblock + info.addr)));
    if (prefix.size() >= 8 && std::memcmp(prefix.data(), "OHDR", 4) == 0) {
      const unsigned flags = prefix[5];
      std::uint64_t p = 6 + ((flags & 0x20) ? 16 : 0) + ((flags & 0x10) ? 4 : 0);
      const int width = 1 << (flags & 0x3);
      if (p + static_cast<std::uint64_t>(width) > prefix.size()) return;
      const std::uint64_t chunk0 = read_le(&prefix[p], width);
      p += static_cast<std::uint64_t>(width);
      if (chunk0 > file_size) return;  // HDF5 rejects it itself
      auto c = read_at(info.addr, p + chunk0 + 4);
      const bool creation_order = (flags & 0x04) != 0;
      // v2 messages carry a creation order when the header tracks it
      std::uint64_t q = p;
      const std::uint64_t end = p + chunk0;
      const std::uint64_t mh = creation_order ? 6 : 4;
      while (end >= mh && q <= end - mh) {
        const unsigned type = c[q];
        const std::uint64_t size = read_le(&c[q + 1], 2);
        const std::uint64_t data = q + mh;
        if (size > end || data > end - size) break;
        check_message(type, &c[data], size);
        if (type == 0x10 && size >= os + ls)
          chunks.emplace_back(read_le(&c[data], static_cast<int>(os)), read_le(&c[data + os], static_cast<int>(ls)));
        q = data + size;
      }
      for (std::size_t k = 0; k < chunks.size() && k < 1024; ++k) {
        auto [address, length] = chunks[k];
        if (!seen.insert(address).second || length < 8) continue;
        auto cc = read_at(address, length);
        if (std::memcmp(cc.data(), "OCHK", 4) != 0) continue;  // HDF5 rejects it itself
        q = 4;
        const std::uint64_t cend = length - 4;
        while (cend >= mh && q <= cend - mh) {
          const unsigned type = cc[q];
          const std::uint64_t size = read_le(&cc[q + 1], 2);
          const std::uint64_t data = q + mh;
          if (size > cend || data > cend - size) break;
          check_message(type, &cc[data], size);
          if (type == 0x10 && size >= os + ls)
            chunks.emplace_back(read_le(&cc[data], static_cast<int>(os)), read_le(&cc[data + os], static_cast<int>(ls)));
          q = data + size;
        }
      }
      return;
    }
    if (prefix.size() < 16 || prefix[0] != 1) return;  // HDF5 rejects an unknown version itself
    header_size = read_le(&prefix[8], 4);
  }
  // version 1: 16 bytes of prefix, then messages of (type 2, size 2, flags 1, reserved 3) headers
  chunks.emplace_back(info.addr + 16, header_size);
  for (std::size_t k = 0; k < chunks.size() && k < 1024; ++k) {
    auto [address, length] = chunks[k];
    if (!seen.insert(address).second) continue;
    walk_v1(read_at(address, length), length);
  }
}

}  // namespace

struct Group::Handle {
  hid_t id = H5I_INVALID_HID;
  bool is_file = false;
  bool header_checked = false;  // check_object_header ran for this object
  std::shared_ptr<GlobalHeaps> heaps;  // of a file opened for reading; groups share their file's
  ~Handle() {
    if (id < 0) return;
    if (is_file) H5Fclose(id);
    else H5Gclose(id);
    H5Eclear2(H5E_DEFAULT);
  }
};

Group::Group(std::shared_ptr<Handle> handle, std::string file, std::string path)
    : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

Id Group::id() const {
  if (!handle_ || handle_->id < 0) throw FileFormatError(where() + "the file is closed");
  return handle_->id;
}

std::string Group::where(const std::string& field) const {
  std::string s = file_ + ": " + (path_.empty() ? "/" : path_);
  if (!field.empty()) s += (path_ == "/" ? "" : "/") + field;
  return s + ": ";
}

bool Group::has(const std::string& name) const {
  silence();
  check_header();
  return object_type(id(), name, handle_->heaps.get(), file_) != H5I_BADID;
}
bool Group::has_group(const std::string& name) const {
  silence();
  check_header();
  return object_type(id(), name, handle_->heaps.get(), file_) == H5I_GROUP;
}
bool Group::has_dataset(const std::string& name) const {
  silence();
  check_header();
  return object_type(id(), name, handle_->heaps.get(), file_) == H5I_DATASET;
}

std::vector<std::string> Group::children() const {
  silence();
  check_header();
  H5G_info_t info;
  if (H5Gget_info(id(), &info) < 0) fail(where(), "cannot list the group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t n = H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) fail(where(), "cannot read the name of child " + std::to_string(i));
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(n));
    names.push_back(std::move(name));
  }
  return names;
}

Group Group::group(const std::string& name) const {
  silence();
  check_header();
  if (object_type(id(), name, handle_->heaps.get(), file_) != H5I_GROUP)
    throw FileFormatError(where(name) + (has(name) ? "is not a group" : "missing group"));
  hid_t g = H5Gopen2(id(), name.c_str(), H5P_DEFAULT);
  if (g < 0) fail(where(name), "cannot open the group");
  auto h = std::make_shared<Handle>();
  h->id = g;
  h->heaps = handle_->heaps;
  return Group(h, file_, join(path_, name));
}

Group Group::require_group(const std::string& name) {
  silence();
  H5I_type_t t = object_type(id(), name);
  if (t == H5I_GROUP) return group(name);
  if (t != H5I_BADID) throw FileFormatError(where(name) + "exists and is not a group");
  auto lcpl = intermediate_lcpl();
  hid_t g = H5Gcreate2(id(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) fail(where(name), "cannot create the group");
  auto h = std::make_shared<Handle>();
  h->id = g;
  h->heaps = handle_->heaps;
  return Group(h, file_, join(path_, name));
}

void Group::check_header() const {
  if (!handle_ || !handle_->heaps || handle_->header_checked) return;
  check_object_header(id(), *handle_->heaps, where());
  handle_->header_checked = true;
}

bool Group::has_attr(const std::string& name) const {
  silence();
  check_header();
  htri_t e = H5Aexists(id(), name.c_str());
  if (e < 0) fail(where(name), "cannot check for the attribute");
  return e > 0;
}

std::vector<std::string> Group::attr_names() const {
  silence();
  check_header();
  std::vector<std::string> names;
  hsize_t idx = 0;
  herr_t r = H5Aiterate2(
      id(), H5_INDEX_NAME, H5_ITER_INC, &idx,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  if (r < 0) fail(where(), "cannot list the attributes");
  return names;
}

std::string Group::read_string(const std::string& name) const {
  silence();
  check_header();
  if (!has_attr(name)) throw FileFormatError(where(name) + "missing attribute");
  Owned attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) fail(where(name), "cannot open the attribute");
  Owned type(H5Aget_type(attr.get()));
  Owned space(H5Aget_space(attr.get()));
  if (!type.valid() || !space.valid()) fail(where(name), "cannot read the attribute's type");
  if (H5Tget_class(type.get()) != H5T_STRING) throw FileFormatError(where(name) + "is not a string attribute");
  auto dims = extent(space.get(), where(name), "the attribute");
  std::uint64_t n = checked_elements(dims, 1, where(name), "the attribute");
  if (n != 1)
    throw FileFormatError(where(name) + "expected one string, found an array of " + std::to_string(n));
  return read_strings(attr.get(), type.get(), space.get(), 1, where(name), "the attribute", handle_->heaps.get())[0];
}

bool Group::has_string_list(const std::string& name) const { return has_attr(name) || has_attr(name + "0"); }

std::vector<std::string> Group::read_string_list(const std::string& name) const {
  silence();
  check_header();
  auto read_one = [&](const std::string& attr_name) {
    Owned attr(H5Aopen(id(), attr_name.c_str(), H5P_DEFAULT));
    if (!attr.valid()) fail(where(attr_name), "cannot open the attribute");
    Owned type(H5Aget_type(attr.get()));
    Owned space(H5Aget_space(attr.get()));
    if (!type.valid() || !space.valid()) fail(where(attr_name), "cannot read the attribute's type");
    auto dims = extent(space.get(), where(attr_name), "the attribute");
    std::uint64_t n = checked_elements(dims, 1, where(attr_name), "the attribute");
    // numpy.asarray([]) is float64: an empty list of any type means no entries
    if (n == 0) return std::vector<std::string>{};
    if (H5Tget_class(type.get()) != H5T_STRING)
      throw FileFormatError(where(attr_name) + "is not a list of strings");
    return read_strings(attr.get(), type.get(), space.get(), n, where(attr_name), "the attribute",
                        handle_->heaps.get());
  };
  if (has_attr(name)) return read_one(name);
  if (!has_attr(name + "0")) throw FileFormatError(where(name) + "missing attribute");
  std::vector<std::string> all;
  for (int i = 0; has_attr(name + std::to_string(i)); ++i) {
    auto part = read_one(name + std::to_string(i));
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

void Group::write_string(const std::string& name, const std::string& value, bool ascii) {
  silence();
  if (has_attr(name) && H5Adelete(id(), name.c_str()) < 0) fail(where(name), "cannot replace the attribute");
  Owned type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8);
  Owned space(H5Screate(H5S_SCALAR));
  Owned attr(H5Acreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid()) fail(where(name), "cannot create the attribute");
  const char* p = value.c_str();
  if (H5Awrite(attr.get(), type.get(), &p) < 0) fail(where(name), "cannot write the attribute");
}

void Group::write_string_list(const std::string& name, const std::vector<std::string>& values) {
  silence();
  for (int i = 0; has_attr(name + std::to_string(i)); ++i) H5Adelete(id(), (name + std::to_string(i)).c_str());
  if (has_attr(name) && H5Adelete(id(), name.c_str()) < 0) fail(where(name), "cannot replace the attribute");
  auto write_one = [&](const std::string& attr_name, const std::string* first, std::size_t count) {
    hsize_t dims[1] = {count};
    Owned space(H5Screate_simple(1, dims, nullptr));
    if (count == 0) {
      // what numpy.asarray([]) becomes in Keras's writer: float64, shape (0,)
      Owned attr(H5Acreate2(id(), attr_name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT));
      if (!attr.valid()) fail(where(attr_name), "cannot create the attribute");
      return;
    }
    Owned type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    Owned attr(H5Acreate2(id(), attr_name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
    if (!attr.valid()) fail(where(attr_name), "cannot create the attribute");
    std::vector<const char*> ptrs;
    for (std::size_t i = 0; i < count; ++i) ptrs.push_back(first[i].c_str());
    if (H5Awrite(attr.get(), type.get(), ptrs.data()) < 0) fail(where(attr_name), "cannot write the attribute");
  };
  std::size_t total = 0;
  for (const auto& v : values) {
    if (v.size() > kAttributeChunkBytes)
      throw FileFormatError(where(name) + "the name '" + v.substr(0, 64) + "...' is longer than " +
                            std::to_string(kAttributeChunkBytes) + " bytes, which HDF5 attributes cannot hold");
    total += v.size() + 1;
  }
  if (total <= kAttributeChunkBytes) {
    write_one(name, values.data(), values.size());
    return;
  }
  // as Keras: consecutive chunks, each under the object header limit
  std::size_t begin = 0;
  int chunk = 0;
  while (begin < values.size()) {
    std::size_t end = begin, bytes = 0;
    while (end < values.size() && bytes + values[end].size() + 1 <= kAttributeChunkBytes) bytes += values[end++].size() + 1;
    write_one(name + std::to_string(chunk++), values.data() + begin, end - begin);
    begin = end;
  }
}

Shape Group::dataset_shape(const std::string& name) const {
  silence();
  check_header();
  if (object_type(id(), name, handle_->heaps.get(), file_) != H5I_DATASET)
    throw FileFormatError(where(name) + (has(name) ? "is not a dataset" : "missing dataset"));
  Owned ds(H5Dopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!ds.valid()) fail(where(name), "cannot open the dataset");
  Owned space(H5Dget_space(ds.get()));
  if (!space.valid()) fail(where(name), "cannot read the dataset's dataspace");
  auto dims = extent(space.get(), where(name), "the dataset");
  return Shape(dims.begin(), dims.end());
}

Tensor Group::read_tensor(const std::string& name, DType dtype) const {
  silence();
  check_header();
  if (object_type(id(), name, handle_->heaps.get(), file_) != H5I_DATASET)
    throw FileFormatError(where(name) + (has(name) ? "is not a dataset" : "missing dataset"));
  Owned ds(H5Dopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!ds.valid()) fail(where(name), "cannot open the dataset");
  Owned type(H5Dget_type(ds.get()));
  Owned space(H5Dget_space(ds.get()));
  if (!type.valid() || !space.valid()) fail(where(name), "cannot read the dataset's type");
  H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw FileFormatError(where(name) + "is not a numeric dataset (HDF5 type class " + std::to_string(cls) + ")");
  auto dims = extent(space.get(), where(name), "the dataset");
  Owned plist(H5Dget_create_plist(ds.get()));
  const bool filtered = plist.valid() && H5Pget_nfilters(plist.get()) > 0;
  const std::size_t stored_size = H5Tget_size(type.get());
  // one bound for the file's type and the memory's
  const std::uint64_t n = checked_elements(dims, std::max(stored_size, dtype_size(dtype)), where(name), "the dataset");
  check_fits_file(n * stored_size, filtered, handle_->heaps.get(), where(name), "the dataset");
  Tensor t = [&] {
    try {
      return Tensor(Shape(dims.begin(), dims.end()), dtype);
    } catch (const std::bad_alloc&) {
      throw ValueError(where(name) + "the dataset does not fit in memory");
    }
  }();
  if (t.size() > 0 && H5Dread(ds.get(), mem_type_of(dtype), H5S_ALL, H5S_ALL, H5P_DEFAULT, t.raw()) < 0)
    fail(where(name), "cannot read the dataset");
  return t;
}

void Group::write_tensor(const std::string& name, const Tensor& value) {
  silence();
  if (has(name)) throw FileFormatError(where(name) + "already exists (two weights with the same name?)");
  std::vector<hsize_t> dims(value.shape().begin(), value.shape().end());
  Owned space(dims.empty() ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  if (!space.valid()) fail(where(name), "cannot create the dataspace");
  auto lcpl = intermediate_lcpl();
  // no modification times, as h5py: the same model saves to the same bytes
  Owned dcpl(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_obj_track_times(dcpl.get(), false);
  Owned ds(H5Dcreate2(id(), name.c_str(), file_type_of(value.dtype()), space.get(), lcpl.get(), dcpl.get(),
                      H5P_DEFAULT));
  if (!ds.valid()) fail(where(name), "cannot create the dataset");
  if (value.size() > 0 && H5Dwrite(ds.get(), mem_type_of(value.dtype()), H5S_ALL, H5S_ALL, H5P_DEFAULT, value.raw()) < 0)
    fail(where(name), "cannot write the dataset");
}

namespace {
/// Offset of the HDF5 superblock: 0, 512, 1024, 2048, ... (a user block may come first).
std::optional<std::uint64_t> superblock_offset(const std::string& filename) {
  std::ifstream in(filename, std::ios::binary);
  if (!in) return std::nullopt;
  static const char sig[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::uint64_t>(in.tellg());
  for (std::uint64_t off = 0; off + 8 <= size; off = off == 0 ? 512 : off * 2) {
    char buf[8];
    in.seekg(static_cast<std::streamoff>(off));
    if (!in.read(buf, 8)) return std::nullopt;
    if (std::memcmp(buf, sig, 8) == 0) return off;
  }
  return std::nullopt;
}
}  // namespace

bool is_hdf5(const std::string& filename) { return superblock_offset(filename).has_value(); }

File File::open_read(const std::string& filename, const std::string& display_name) {
  silence();
  const std::string& shown = display_name.empty() ? filename : display_name;
  std::error_code ec;
  if (!std::filesystem::exists(filename, ec)) throw FileFormatError(shown + ": no such file");
  if (std::filesystem::is_directory(filename, ec)) throw FileFormatError(shown + ": is a directory, not a file");
  auto size = std::filesystem::file_size(filename, ec);
  if (!ec && size == 0) throw FileFormatError(shown + ": the file is empty (0 bytes), not an HDF5 file");
  auto superblock = superblock_offset(filename);
  if (!superblock)
    throw FileFormatError(shown + ": not an HDF5 file (no HDF5 signature \\x89HDF\\r\\n\\x1a\\n found)");
  std::shared_ptr<GlobalHeaps> heaps;
  try {
    heaps = scan_global_heaps(filename, *superblock);
  } catch (const FileFormatError& e) {
    std::string msg = e.what();
    throw FileFormatError(shown + msg.substr(std::min(msg.size(), filename.size())));
  }
  // the default close degree, so a file the application also has open through HDF5 can be opened again
  hid_t f = H5Fopen(filename.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) fail(shown + ": ", "cannot open the HDF5 file (truncated or corrupt?)");
  auto h = std::make_shared<Handle>();
  h->id = f;
  h->is_file = true;
  h->heaps = std::move(heaps);
  return File(h, shown, "/");
}

File File::create(const std::string& filename, const std::string& display_name) {
  silence();
  const std::string& shown = display_name.empty() ? filename : display_name;
  Owned fapl(H5Pcreate(H5P_FILE_ACCESS));
  // closing the file closes every object still open in it, so nothing lingers after close()
  H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
  hid_t f = H5Fcreate(filename.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (f < 0) fail(shown + ": ", "cannot create the HDF5 file " + filename);
  auto h = std::make_shared<Handle>();
  h->id = f;
  h->is_file = true;
  return File(h, shown, "/");
}

void File::close() {
  silence();
  if (!handle_ || handle_->id < 0) return;
  hid_t f = handle_->id;
  handle_->id = H5I_INVALID_HID;
  herr_t flushed = H5Fflush(f, H5F_SCOPE_GLOBAL);
  herr_t closed = H5Fclose(f);
  if (flushed < 0 || closed < 0) fail(file_ + ": ", "cannot flush and close the file");
}

}  // namespace strata::h5
