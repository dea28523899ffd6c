#include <strata/api/variable.hpp>

#include <strata/backends/backend.hpp>

namespace strata {

Variable::Variable(std::string name, Shape shape, DType dtype, bool trainable)
    : name_(name), path_(std::move(name)), shape_(std::move(shape)), dtype_(dtype), trainable_(trainable) {
  for (auto d : shape_)
    if (d < 0) throw ShapeError("variable '" + name_ + "': shape " + shape_str(shape_) + " must be fully known");
  storage_ = backend().allocate(std::max<std::size_t>(nbytes(), 1));
  data_ = storage_.get();
}

Variable::~Variable() = default;

std::size_t Variable::nbytes() const { return static_cast<std::size_t>(num_elements(shape_)) * dtype_size(dtype_); }

Tensor Variable::value() const {
  Tensor t(shape_, dtype_);
  backend().copy_to_host(t.raw(), data_, nbytes());
  return t;
}

void Variable::assign(const Tensor& value) {
  if (value.shape() != shape_)
    throw ShapeError("variable '" + path_ + "' has shape " + shape_str(shape_) + " but the value assigned has shape " +
                     shape_str(value.shape()));
  if (value.dtype() == dtype_) {
    backend().copy_to_device(data_, value.raw(), nbytes());
  } else {
    Tensor converted = value.astype(dtype_);
    backend().copy_to_device(data_, converted.raw(), nbytes());
  }
}

double Variable::scalar() const { return value().item(0); }

void Variable::assign_scalar(double value) {
  Tensor t(shape_, dtype_);
  if (dtype_ == DType::int64) {
    std::fill_n(t.data<std::int64_t>(), t.size(), static_cast<std::int64_t>(value));
  } else {
    Tensor f = Tensor::full(shape_, static_cast<float>(value));
    t = f.astype(dtype_);
  }
  assign(t);
}

}  // namespace strata
