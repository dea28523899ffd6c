#pragma once
#include <memory>
#include <string>

#include <strata/api/tensor.hpp>

namespace strata {

class Backend;
class Regularizer;
class Constraint;

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

  /// Keras's variable.regularizer: its penalty joins the training loss while the variable is trainable.
  const std::shared_ptr<const Regularizer>& regularizer() const { return regularizer_; }
  void set_regularizer(std::shared_ptr<const Regularizer> regularizer) { regularizer_ = std::move(regularizer); }
  /// Keras's variable.constraint: applied to the variable after each optimizer update.
  const std::shared_ptr<const Constraint>& constraint() const { return constraint_; }
  void set_constraint(std::shared_ptr<const Constraint> constraint) { constraint_ = std::move(constraint); }

 private:
  std::string name_, path_;
  Shape shape_;
  DType dtype_;
  bool trainable_;
  std::shared_ptr<void> storage_;
  void* data_ = nullptr;
  std::shared_ptr<const Regularizer> regularizer_;
  std::shared_ptr<const Constraint> constraint_;
};

}  // namespace strata
