#include <strata/api/dtype.hpp>
#include <strata/api/errors.hpp>

namespace strata {

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::float32: return 4;
    case DType::int32: return 4;
    case DType::int64: return 8;
    case DType::uint8: return 1;
  }
  return 0;
}

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32: return "float32";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::uint8: return "uint8";
  }
  return "?";
}

DType dtype_from_name(std::string_view name) {
  for (DType d : {DType::float32, DType::int32, DType::int64, DType::uint8})
    if (dtype_name(d) == name) return d;
  throw ValueError("unknown dtype '" + std::string(name) + "'; valid dtypes: float32, int32, int64, uint8");
}

namespace {
template <typename S, typename D>
void convert_typed(const S* src, D* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<D>(src[i]);
}
template <typename S>
void convert_from(const S* src, void* dst, DType dst_dtype, std::size_t n) {
  switch (dst_dtype) {
    case DType::float32: return convert_typed(src, static_cast<float*>(dst), n);
    case DType::int32: return convert_typed(src, static_cast<std::int32_t*>(dst), n);
    case DType::int64: return convert_typed(src, static_cast<std::int64_t*>(dst), n);
    case DType::uint8: return convert_typed(src, static_cast<std::uint8_t*>(dst), n);
  }
}
}  // namespace

void convert_elements(const void* src, DType src_dtype, void* dst, DType dst_dtype, std::size_t count) {
  switch (src_dtype) {
    case DType::float32: return convert_from(static_cast<const float*>(src), dst, dst_dtype, count);
    case DType::int32: return convert_from(static_cast<const std::int32_t*>(src), dst, dst_dtype, count);
    case DType::int64: return convert_from(static_cast<const std::int64_t*>(src), dst, dst_dtype, count);
    case DType::uint8: return convert_from(static_cast<const std::uint8_t*>(src), dst, dst_dtype, count);
  }
}

std::int64_t num_elements(const Shape& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::string shape_str(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

}  // namespace strata
