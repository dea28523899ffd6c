#pragma once
#include <memory>
#include <string>

#include <strata/api/tensor.hpp>

namespace strata {

class Backend;

/// A model's persistent state (a weight, an optimizer slot, a counter), living on the backend's device
/// for the model's life. get/set copy to and from host Tensors in Keras layouts.
class Variable {
 public:
  Variable(std::string name, Shape shape, DType dtype = DType::float32, bool trainable = true);
  Variable(const Variable&) = delete;
  Variable& operator=(const Variable&) = delete;
  ~Variable();

  const std::string& name() const { return name_; }
  /// Keras's path, e.g. "dense/kernel".
  const std::string& path() const { return path_; }
  void set_path(std::string path) { path_ = std::move(path); }
  const Shape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }
  std::size_t nbytes() const;

  /// Copy of the current value.
  Tensor value() const;
  /// Overwrites the value; the shape must match (dtype is converted).
  void assign(const Tensor& value);
  /// Scalar convenience for counters and learning rates.
  double scalar() const;
  void assign_scalar(double value);

  /// Device address of the storage; valid for the variable's life.
  void* data() const { return data_; }

 private:
  std::string name_, path_;
  Shape shape_;
  DType dtype_;
  bool trainable_;
  std::shared_ptr<void> storage_;
  void* data_ = nullptr;
};

}  // namespace strata
