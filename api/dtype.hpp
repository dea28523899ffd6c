#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

enum class DType : std::uint8_t { float32, int32, int64, uint8 };

std::size_t dtype_size(DType dtype);
std::string_view dtype_name(DType dtype);  // Keras spelling: "float32", "int32", ...
DType dtype_from_name(std::string_view name);

/// Converts `count` elements between dtypes (float->int truncates toward zero, like numpy's astype).
void convert_elements(const void* src, DType src_dtype, void* dst, DType dst_dtype, std::size_t count);

template <typename T>
constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::float32; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::int32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::int64; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::uint8; }

/// A shape; -1 marks an unknown dimension (Keras's None), used only in symbolic shapes.
using Shape = std::vector<std::int64_t>;

std::int64_t num_elements(const Shape& shape);
/// Keras's printed form: "(None, 28, 28, 1)", "(10,)".
std::string shape_str(const Shape& shape);

}  // namespace strata
