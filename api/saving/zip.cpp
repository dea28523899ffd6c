#include <strata/api/saving/zip.hpp>

#include <zip.h>

#include <cerrno>
#include <cstdlib>
#include <deque>
#include <fstream>

#include <strata/api/errors.hpp>

namespace strata::zip {

namespace {

std::string zip_message(zip_t* archive) {
  const char* s = archive ? zip_strerror(archive) : nullptr;
  return s ? s : "unknown libzip error";
}

std::string human(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

struct Reader::Impl {
  std::string path;
  zip_t* archive = nullptr;

  zip_stat_t stat(const std::string& member) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive, member.c_str(), 0, &st) != 0)
      throw FileFormatError(path + ": " + member + ": missing from the archive");
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
      throw FileFormatError(path + ": " + member + ": the archive does not record the member's sizes");
    return st;
  }

  void check_bomb(const std::string& member, const zip_stat_t& st, std::uint64_t floor) const {
    if (st.size > floor && st.size > kMaxExpansion * st.comp_size)
      throw FileFormatError(path + ": " + member + ": declares " + human(st.size) + " but only " +
                            human(st.comp_size) + " are stored; refusing a potential decompression bomb");
  }

  /// Streams a member to `sink`, refusing more bytes than it declares (libzip checks the CRC at the end).
  template <class Sink>
  void stream(const std::string& member, const zip_stat_t& st, Sink&& sink) const {
    zip_file_t* f = zip_fopen(archive, member.c_str(), 0);
    if (!f) throw FileFormatError(path + ": " + member + ": cannot open the member (" + zip_message(archive) + ")");
    std::vector<char> buf(1 << 20);
    std::uint64_t total = 0;
    for (;;) {
      zip_int64_t n = zip_fread(f, buf.data(), buf.size());
      if (n < 0) {
        std::string msg = zip_file_strerror(f);
        zip_fclose(f);
        throw FileFormatError(path + ": " + member + ": corrupt member (" + msg + ")");
      }
      if (n == 0) break;
      total += static_cast<std::uint64_t>(n);
      if (total > st.size) {
        zip_fclose(f);
        throw FileFormatError(path + ": " + member + ": decompresses to more than the " + human(st.size) +
                              " it declares");
      }
      sink(buf.data(), static_cast<std::size_t>(n));
    }
    zip_fclose(f);
    if (total != st.size)
      throw FileFormatError(path + ": " + member + ": truncated (" + std::to_string(total) + " of " +
                            std::to_string(st.size) + " bytes)");
  }
};

Reader::Reader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  int error = 0;
  impl_->archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!impl_->archive) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string msg = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw FileFormatError(path + ": not a readable ZIP archive (" + msg + ")");
  }
}

Reader::~Reader() {
  if (impl_ && impl_->archive) zip_discard(impl_->archive);
}

std::vector<std::string> Reader::names() const {
  std::vector<std::string> out;
  zip_int64_t n = zip_get_num_entries(impl_->archive, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(impl_->archive, static_cast<zip_uint64_t>(i), 0);
    if (name) out.emplace_back(name);
  }
  return out;
}

bool Reader::has(const std::string& member) const { return zip_name_locate(impl_->archive, member.c_str(), 0) >= 0; }

std::string Reader::read(const std::string& member) const {
  zip_stat_t st = impl_->stat(member);
  impl_->check_bomb(member, st, kBombFloorBytes);
  std::string out;
  out.reserve(static_cast<std::size_t>(st.size));
  impl_->stream(member, st, [&](const char* data, std::size_t n) { out.append(data, n); });
  return out;
}

void Reader::extract(const std::string& member, const std::string& path) const {
  zip_stat_t st = impl_->stat(member);
  impl_->check_bomb(member, st, kExtractBombFloorBytes);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw FileFormatError(impl_->path + ": " + member + ": cannot write the extracted copy " + path);
  impl_->stream(member, st, [&](const char* data, std::size_t n) { out.write(data, static_cast<std::streamsize>(n)); });
  out.close();
  if (!out) throw FileFormatError(impl_->path + ": " + member + ": cannot write the extracted copy " + path);
}

struct Writer::Impl {
  std::string path, shown;
  zip_t* archive = nullptr;
  std::deque<std::string> buffers;  // alive until close(): libzip reads them then

  [[noreturn]] void fail(const std::string& what) {
    throw FileFormatError(shown + ": " + what + " (" + zip_message(archive) + ")");
  }
  void stored(zip_int64_t index, const std::string& member, bool deflate = false) {
    if (index < 0) fail("cannot add " + member);
    if (zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), timestamp(), 0) != 0)
      fail("cannot date " + member);
    // as Keras: members are stored uncompressed
    if (zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 0) != 0)
      fail("cannot store " + member);
  }
};

std::time_t timestamp() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    errno = 0;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (errno == 0 && *end == '\0' && seconds >= 0) return static_cast<std::time_t>(seconds);
  }
  return std::time(nullptr);
}

Writer::Writer(const std::string& path, std::string display_name) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->shown = display_name.empty() ? path : std::move(display_name);
  int error = 0;
  impl_->archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!impl_->archive) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string msg = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw FileFormatError(impl_->shown + ": cannot create the archive (" + msg + ")");
  }
}

Writer::~Writer() {
  if (impl_ && impl_->archive) zip_discard(impl_->archive);
}

void Writer::add(const std::string& member, std::string bytes, bool deflate) {
  impl_->buffers.push_back(std::move(bytes));
  const std::string& b = impl_->buffers.back();
  zip_source_t* src = zip_source_buffer(impl_->archive, b.data(), b.size(), 0);
  if (!src) impl_->fail("cannot add " + member);
  zip_int64_t index = zip_file_add(impl_->archive, member.c_str(), src, ZIP_FL_ENC_UTF_8);
  if (index < 0) zip_source_free(src);
  impl_->stored(index, member, deflate);
}

void Writer::add_file(const std::string& member, const std::string& path) {
  zip_source_t* src = zip_source_file(impl_->archive, path.c_str(), 0, -1);
  if (!src) impl_->fail("cannot read " + path + " for " + member);
  zip_int64_t index = zip_file_add(impl_->archive, member.c_str(), src, ZIP_FL_ENC_UTF_8);
  if (index < 0) zip_source_free(src);
  impl_->stored(index, member);
}

void Writer::close() {
  if (!impl_->archive) return;
  if (zip_close(impl_->archive) != 0) impl_->fail("cannot write the archive");
  impl_->archive = nullptr;
}

}  // namespace strata::zip
