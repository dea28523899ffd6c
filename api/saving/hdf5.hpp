#pragma once
// A small RAII layer over the HDF5 C library: files, groups, datasets and attributes, with the string
// encodings Keras files use. Every HDF5 failure becomes a FileFormatError naming the file and the
// group/field; HDF5's own stderr dump is silenced.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>

namespace strata::h5 {

/// HDF5's hid_t (a 64-bit integer since HDF5 1.10), kept out of this header so users need no HDF5 headers.
using Id = std::int64_t;

/// Keras's HDF5_OBJECT_HEADER_LIMIT: a string-list attribute larger than this is split into name0, name1, ...
inline constexpr std::size_t kAttributeChunkBytes = 64512;

/// An open group (or a file's root group). Copies share the handle; the last one closes it.
class Group {
 public:
  Group() = default;

  /// "<file>: <path>" — the prefix of every error about this group.
  std::string where(const std::string& field = "") const;
  const std::string& file_name() const { return file_; }
  /// Absolute path inside the file ("/" for the root).
  const std::string& path() const { return path_; }

  // ---- links -------------------------------------------------------------------------------------
  /// Whether `name` (a relative path, '/' separated) names an existing group or dataset.
  bool has(const std::string& name) const;
  bool has_group(const std::string& name) const;
  bool has_dataset(const std::string& name) const;
  /// Names of the direct children (groups and datasets), in HDF5's name order.
  std::vector<std::string> children() const;
  Group group(const std::string& name) const;
  /// Creates the group and any missing intermediate groups; opens it if it exists.
  Group require_group(const std::string& name);

  // ---- attributes --------------------------------------------------------------------------------
  bool has_attr(const std::string& name) const;
  std::vector<std::string> attr_names() const;
  /// A string attribute: scalar or a 1-element array; vlen or fixed-length; ASCII or UTF-8; trailing
  /// NULs stripped. FileFormatError if missing or not a string.
  std::string read_string(const std::string& name) const;
  /// A list-of-strings attribute as Keras stores layer_names/weight_names: any string encoding; any
  /// zero-length attribute (Keras writes an empty float64 array) is an empty list; when `name` is
  /// absent, the chunks name0, name1, ... are concatenated. FileFormatError if neither exists.
  std::vector<std::string> read_string_list(const std::string& name) const;
  /// Whether read_string_list(name) would find the attribute or its first chunk.
  bool has_string_list(const std::string& name) const;
  /// Scalar variable-length string: UTF-8 as h5py writes a Python str, or ASCII as it writes bytes
  /// (Keras encodes model_config and training_config to bytes).
  void write_string(const std::string& name, const std::string& value, bool ascii = false);
  /// 1-D variable-length strings; empty -> a float64 array of shape (0,) as Keras writes; more than
  /// kAttributeChunkBytes -> chunks name0, name1, ...
  void write_string_list(const std::string& name, const std::vector<std::string>& values);

  // ---- datasets ----------------------------------------------------------------------------------
  /// Shape of a dataset (empty for a scalar dataspace).
  Shape dataset_shape(const std::string& name) const;
  /// Reads a numeric dataset converted to `dtype` by HDF5.
  Tensor read_tensor(const std::string& name, DType dtype = DType::float32) const;
  /// Writes a dataset (creating intermediate groups) of the tensor's shape and dtype; a 0-d tensor gets a
  /// scalar dataspace. FileFormatError if it exists already.
  void write_tensor(const std::string& name, const Tensor& value);

 protected:
  struct Handle;
  Group(std::shared_ptr<Handle> handle, std::string file, std::string path);

  Id id() const;
  /// Once per object of a file opened for reading, before HDF5 reads its links or attributes: FileFormatError
  /// if an attribute or link message in its header does not hold what it declares (HDF5 1.10 would read past
  /// it, or free garbage), or if its dense (fractal-heap) link or attribute storage does not point at the
  /// structures it names.
  void check_header() const;
  std::shared_ptr<Handle> handle_;
  std::string file_, path_;
  friend class File;
};

/// An HDF5 file; closing flushes it. Opening a file that is not HDF5 (or truncated/corrupt) raises
/// FileFormatError naming it.
class File : public Group {
 public:
  /// Opens a file for reading; errors name `display_name` (e.g. "model.keras/model.weights.h5") if given.
  static File open_read(const std::string& filename, const std::string& display_name = "");
  /// Creates (truncates) a file; errors name `display_name` (the target of a temporary file) if given.
  static File create(const std::string& filename, const std::string& display_name = "");
  /// Flushes and closes; errors while closing raise FileFormatError (the destructor swallows them).
  void close();

 private:
  using Group::Group;
};

/// Whether the file starts with the HDF5 signature (at offset 0; HDF5 also allows 512, 1024, ...).
bool is_hdf5(const std::string& filename);

}  // namespace strata::h5
