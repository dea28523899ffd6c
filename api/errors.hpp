#pragma once
#include <stdexcept>
#include <string>

namespace strata {

/// Base of every exception strata throws; the message names the layer, file, field or shape at fault.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// An argument has a bad value (unknown name, negative size, mismatched lengths).
class ValueError : public Error {
 public:
  using Error::Error;
};
/// Tensor shapes are incompatible with a layer or op.
class ShapeError : public Error {
 public:
  using Error::Error;
};
/// A file is missing, truncated or not in the expected format.
class FileFormatError : public Error {
 public:
  using Error::Error;
};
/// A valid request that strata does not support.
class UnsupportedError : public Error {
 public:
  using Error::Error;
};
/// The compute backend (oneDNN, CUDA) failed or is unavailable.
class BackendError : public Error {
 public:
  using Error::Error;
};

/// Inside a catch block: rethrows the strata error being handled with `prefix` added to its message, keeping its
/// type (a file or field name added on the way out); other exceptions are rethrown as they are.
[[noreturn]] void rethrow_with_prefix(const std::string& prefix);

}  // namespace strata
