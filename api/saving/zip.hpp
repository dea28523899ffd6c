#pragma once
// ZIP archives for the .keras format, on libzip: reading members with Keras's decompression-bomb guard,
// and writing stored (uncompressed) members as Keras does. Errors are FileFormatError naming the archive
// and the member.
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace strata::zip {

/// Keras's guard (CWE-409): a member declaring more than this many bytes...
inline constexpr std::uint64_t kBombFloorBytes = std::uint64_t{1} << 32;
/// ...or, when extracted to disk, more than this many...
inline constexpr std::uint64_t kExtractBombFloorBytes = std::uint64_t{1} << 28;
/// ...and more than this many times its stored size is refused.
inline constexpr std::uint64_t kMaxExpansion = 100;

/// The time saved files record: SOURCE_DATE_EPOCH when it is set (the reproducible-builds convention, so the
/// same model saves to the same bytes), otherwise now.
std::time_t timestamp();

class Reader {
 public:
  /// Opens an archive; FileFormatError if it is missing or not a ZIP archive.
  explicit Reader(const std::string& path);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  std::vector<std::string> names() const;
  bool has(const std::string& member) const;
  /// A member's bytes in memory (bomb guard with the 4 GiB floor).
  std::string read(const std::string& member) const;
  /// Writes a member to `path` (bomb guard with the 256 MiB floor), never more bytes than it declares.
  void extract(const std::string& member, const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Writer {
 public:
  /// Creates (truncates) an archive; nothing is written until close().
  explicit Writer(const std::string& path, std::string display_name = "");
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Adds a member with these bytes: stored, or deflated when `deflate` (numpy.savez_compressed's .npz).
  void add(const std::string& member, std::string bytes, bool deflate = false);
  /// Adds a stored member read from a file when the archive is closed.
  void add_file(const std::string& member, const std::string& path);
  /// Writes the archive.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::zip
