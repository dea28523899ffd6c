#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <strata/api/dtype.hpp>
#include <strata/api/errors.hpp>

namespace strata {

/// A dense, row-major n-d array on the host. Copying a Tensor copies its data (like std::vector);
/// moving is cheap. Models speak Tensors at their boundary: fit/predict inputs, get_weights().
class Tensor {
 public:
  Tensor() = default;
  /// Zero-filled: Tensor({2, 3}) is a 2x3 float32 tensor of zeros.
  explicit Tensor(Shape shape, DType dtype = DType::float32);
  /// Copies `values` into a tensor of `shape`; their count must match.
  template <typename T>
  Tensor(Shape shape, const std::vector<T>& values) : Tensor(std::move(shape), dtype_of<T>()) {
    check_count(values.size());
    std::copy(values.begin(), values.end(), data<T>());
  }
  /// Copies `num_elements(shape)` elements from `data`.
  static Tensor from_data(Shape shape, DType dtype, const void* data);
  static Tensor zeros(Shape shape, DType dtype = DType::float32) { return Tensor(std::move(shape), dtype); }
  static Tensor full(Shape shape, float value);

  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  const Shape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  std::int64_t dim(int axis) const;  // negative axes count from the end
  std::int64_t size() const { return size_; }
  std::size_t nbytes() const { return static_cast<std::size_t>(size_) * dtype_size(dtype_); }
  bool empty() const { return size_ == 0; }

  void* raw() { return data_.get(); }
  const void* raw() const { return data_.get(); }
  template <typename T>
  T* data() {
    check_dtype(dtype_of<T>());
    return static_cast<T*>(raw());
  }
  template <typename T>
  const T* data() const {
    check_dtype(dtype_of<T>());
    return static_cast<const T*>(raw());
  }
  template <typename T = float>
  std::span<T> values() { return {data<T>(), static_cast<std::size_t>(size_)}; }
  template <typename T = float>
  std::span<const T> values() const { return {data<T>(), static_cast<std::size_t>(size_)}; }
  template <typename T = float>
  std::vector<T> to_vector() const {
    auto v = values<T>();
    return {v.begin(), v.end()};
  }

  /// Element access by full index: t.at({i, j}); bounds-checked.
  template <typename T = float>
  T& at(std::initializer_list<std::int64_t> index) { return data<T>()[offset_of(index)]; }
  template <typename T = float>
  const T& at(std::initializer_list<std::int64_t> index) const { return data<T>()[offset_of(index)]; }
  /// Value of element `i` in row-major order, converted to double (any dtype).
  double item(std::int64_t i = 0) const;

  /// Same data, another shape (one dimension may be -1).
  Tensor reshape(Shape shape) const;
  Tensor astype(DType dtype) const;
  /// Rows [begin, end) along axis 0.
  Tensor slice(std::int64_t begin, std::int64_t end) const;
  /// Rows at `indices` along axis 0, in that order.
  Tensor take(std::span<const std::int64_t> indices) const;

  std::string to_string() const;

 private:
  void check_dtype(DType expected) const;
  void check_count(std::size_t count) const;
  std::int64_t offset_of(std::initializer_list<std::int64_t> index) const;

  struct FreeAligned {
    void operator()(void* p) const;
  };
  Shape shape_;
  DType dtype_ = DType::float32;
  std::int64_t size_ = 0;
  std::unique_ptr<void, FreeAligned> data_;
};

/// 1-D float32 tensor from values: tensor({1, 2, 3}). (Tensor({2, 3}) is a zero tensor of shape (2, 3).)
Tensor tensor(std::initializer_list<float> values);
/// 2-D float32 tensor from rows: tensor({{1, 2}, {3, 4}}).
Tensor tensor(std::initializer_list<std::initializer_list<float>> rows);

}  // namespace strata
