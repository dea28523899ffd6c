#include <strata/api/tensor.hpp>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace strata {

namespace {
void* allocate_aligned(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  constexpr std::size_t alignment = 64;  // cache line and AVX-512 vector
  void* p = std::aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return p;
}
}  // namespace

void Tensor::FreeAligned::operator()(void* p) const { std::free(p); }

Tensor::Tensor(Shape shape, DType dtype) : shape_(std::move(shape)), dtype_(dtype) {
  for (auto d : shape_)
    if (d < 0) throw ShapeError("Tensor shape " + shape_str(shape_) + " has a negative dimension");
  size_ = num_elements(shape_);
  data_.reset(allocate_aligned(nbytes()));
}


Tensor Tensor::from_data(Shape shape, DType dtype, const void* data) {
  Tensor t(std::move(shape), dtype);
  if (t.nbytes()) std::memcpy(t.raw(), data, t.nbytes());
  return t;
}

Tensor Tensor::full(Shape shape, float value) {
  Tensor t(std::move(shape));
  std::fill_n(t.data<float>(), t.size(), value);
  return t;
}

Tensor::Tensor(const Tensor& other) : shape_(other.shape_), dtype_(other.dtype_), size_(other.size_) {
  data_.reset(allocate_aligned(nbytes()));
  if (nbytes()) std::memcpy(raw(), other.raw(), nbytes());
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) *this = Tensor(other);
  return *this;
}

std::int64_t Tensor::dim(int axis) const {
  int n = ndim();
  int a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw ValueError("Tensor::dim: axis " + std::to_string(axis) + " is out of range for shape " + shape_str(shape_));
  return shape_[a];
}

double Tensor::item(std::int64_t i) const {
  if (i < 0 || i >= size_)
    throw ValueError("Tensor::item: index " + std::to_string(i) + " is out of range for " + std::to_string(size_) +
                     " elements");
  double v = 0;
  const auto* p = static_cast<const std::byte*>(raw()) + i * dtype_size(dtype_);
  switch (dtype_) {
    case DType::float32: v = *reinterpret_cast<const float*>(p); break;
    case DType::int32: v = *reinterpret_cast<const std::int32_t*>(p); break;
    case DType::int64: v = static_cast<double>(*reinterpret_cast<const std::int64_t*>(p)); break;
    case DType::uint8: v = *reinterpret_cast<const std::uint8_t*>(p); break;
  }
  return v;
}

Tensor Tensor::reshape(Shape shape) const {
  int unknown = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (unknown >= 0) throw ShapeError("Tensor::reshape: more than one -1 in " + shape_str(shape));
      unknown = static_cast<int>(i);
    } else {
      known *= shape[i];
    }
  }
  if (unknown >= 0 && known > 0 && size_ % known == 0) shape[unknown] = size_ / known;
  if (num_elements(shape) != size_ || (unknown >= 0 && shape[unknown] < 0))
    throw ShapeError("Tensor::reshape: cannot reshape " + shape_str(shape_) + " (" + std::to_string(size_) +
                     " elements) into " + shape_str(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::astype(DType dtype) const {
  Tensor t(shape_, dtype);
  convert_elements(raw(), dtype_, t.raw(), dtype, static_cast<std::size_t>(size_));
  return t;
}

Tensor Tensor::slice(std::int64_t begin, std::int64_t end) const {
  if (ndim() == 0 || begin < 0 || end < begin || end > shape_[0])
    throw ValueError("Tensor::slice: rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                     ") are out of range for shape " + shape_str(shape_));
  Shape s = shape_;
  s[0] = end - begin;
  std::size_t row = shape_[0] ? nbytes() / shape_[0] : 0;
  return from_data(s, dtype_, static_cast<const std::byte*>(raw()) + begin * row);
}

Tensor Tensor::take(std::span<const std::int64_t> indices) const {
  if (ndim() == 0) throw ValueError("Tensor::take: a scalar has no rows");
  Shape s = shape_;
  s[0] = static_cast<std::int64_t>(indices.size());
  Tensor t(s, dtype_);
  std::size_t row = shape_[0] ? nbytes() / shape_[0] : 0;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] < 0 || indices[i] >= shape_[0])
      throw ValueError("Tensor::take: row " + std::to_string(indices[i]) + " is out of range for shape " +
                       shape_str(shape_));
    std::memcpy(static_cast<std::byte*>(t.raw()) + i * row, static_cast<const std::byte*>(raw()) + indices[i] * row,
                row);
  }
  return t;
}

std::string Tensor::to_string() const {
  std::ostringstream os;
  os << "Tensor(shape=" << shape_str(shape_) << ", dtype=" << dtype_name(dtype_) << ", values=[";
  std::int64_t shown = std::min<std::int64_t>(size_, 16);
  for (std::int64_t i = 0; i < shown; ++i) os << (i ? ", " : "") << item(i);
  if (shown < size_) os << ", ...";
  os << "])";
  return os.str();
}

void Tensor::check_dtype(DType expected) const {
  if (expected != dtype_)
    throw ValueError("Tensor of dtype " + std::string(dtype_name(dtype_)) + " accessed as " +
                     std::string(dtype_name(expected)));
}

void Tensor::check_count(std::size_t count) const {
  if (static_cast<std::int64_t>(count) != size_)
    throw ShapeError("Tensor: " + std::to_string(count) + " values given for shape " + shape_str(shape_) + " (" +
                     std::to_string(size_) + " elements)");
}

std::int64_t Tensor::offset_of(std::initializer_list<std::int64_t> index) const {
  if (static_cast<int>(index.size()) != ndim())
    throw ValueError("Tensor::at: " + std::to_string(index.size()) + " indices for a tensor of rank " +
                     std::to_string(ndim()));
  std::int64_t off = 0;
  int axis = 0;
  for (auto i : index) {
    if (i < 0 || i >= shape_[axis])
      throw ValueError("Tensor::at: index " + std::to_string(i) + " is out of range for axis " +
                       std::to_string(axis) + " of shape " + shape_str(shape_));
    off = off * shape_[axis] + i;
    ++axis;
  }
  return off;
}

Tensor tensor(std::initializer_list<float> values) {
  Tensor t(Shape{static_cast<std::int64_t>(values.size())});
  std::copy(values.begin(), values.end(), t.data<float>());
  return t;
}

Tensor tensor(std::initializer_list<std::initializer_list<float>> rows) {
  std::int64_t cols = rows.size() ? static_cast<std::int64_t>(rows.begin()->size()) : 0;
  Tensor t(Shape{static_cast<std::int64_t>(rows.size()), cols});
  float* out = t.data<float>();
  for (const auto& row : rows) {
    if (static_cast<std::int64_t>(row.size()) != cols)
      throw ShapeError("tensor(): ragged rows, of length " + std::to_string(cols) + " and " + std::to_string(row.size()));
    out = std::copy(row.begin(), row.end(), out);
  }
  return t;
}

}  // namespace strata
