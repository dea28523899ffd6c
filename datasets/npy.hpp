#pragma once
// numpy's .npy and .npz files (numpy.save / numpy.savez / numpy.savez_compressed, and numpy.load).
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>

namespace strata::datasets {

/// Reads a .npy file, format version 1.0, 2.0 or 3.0, little- or big-endian, C or Fortran order (a Fortran-order
/// array is returned transposed into strata's row-major layout, same shape and same values). numpy dtypes map to
/// the nearest strata DType:
///   bool, uint8 -> uint8;  int8, int16, uint16, int32 -> int32;  uint32, int64 -> int64;
///   uint64 -> int64 (a value above 2^63-1 raises UnsupportedError);
///   float16, float32 -> float32;  float64 -> float32 (rounded to nearest, as astype("float32")).
/// Complex, string, object, datetime and structured dtypes raise UnsupportedError. A bad magic string, a malformed
/// header or truncated data raise FileFormatError naming the file and what is wrong.
Tensor read_npy(const std::string& path);
/// The same from bytes in memory; `name` is what error messages call them.
Tensor parse_npy(std::span<const std::uint8_t> bytes, const std::string& name = "<npy bytes>");

/// Writes `tensor` as a version 1.0 .npy file (version 2.0 when the header needs it), little-endian, C order:
/// uint8 -> '|u1', int32 -> '<i4', int64 -> '<i8', float32 -> '<f4'. numpy.load reads it back unchanged.
void write_npy(const std::string& path, const Tensor& tensor);
/// The bytes write_npy writes.
std::vector<std::uint8_t> encode_npy(const Tensor& tensor);

/// Reads every array of a .npz archive (stored or deflated members), keyed by name without the ".npy" suffix,
/// as numpy.load(path)[key]. Members not ending in ".npy" are ignored, like numpy. FileFormatError naming the
/// archive and member for a missing, corrupt or non-ZIP file.
std::map<std::string, Tensor> read_npz(const std::string& path);

/// Writes arrays as a .npz archive, one "<key>.npy" member each: stored like numpy.savez, or deflated like
/// numpy.savez_compressed when `compressed`.
void write_npz(const std::string& path, const std::map<std::string, Tensor>& arrays, bool compressed = false);

}  // namespace strata::datasets
