#pragma once
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <strata/api/errors.hpp>

namespace strata::layers {

/// Keras's int-or-tuple arguments (kernel_size, strides, pool_size, dilation_rate): `3` or `{3, 5}`.
/// Default-constructed means "not given" (e.g. pooling strides, which then default to pool_size).
class SpatialSize {
 public:
  SpatialSize() = default;
  SpatialSize(int value) : values_{value}, scalar_(true) {}
  SpatialSize(std::initializer_list<int> values) : values_(values) {}
  SpatialSize(std::vector<int> values) : values_(std::move(values)) {}

  bool has_value() const { return !values_.empty(); }

  /// One value per spatial dim, as keras.src.utils.argument_validation.standardize_tuple: an int is
  /// repeated `rank` times; a tuple must have `rank` entries; every entry must be positive (or >= 0 with
  /// allow_zero, as for output_padding).
  std::vector<std::int64_t> resolve(std::size_t rank, const std::string& where, const std::string& arg,
                                    bool allow_zero = false) const {
    std::vector<std::int64_t> out;
    if (scalar_) {
      out.assign(rank, values_[0]);
    } else {
      if (values_.size() != rank)
        throw ValueError(where + "the `" + arg + "` argument must be a tuple of " + std::to_string(rank) +
                         " integers. Received " + arg + "=" + str() + ".");
      out.assign(values_.begin(), values_.end());
    }
    for (auto v : out)
      if (allow_zero ? v < 0 : v <= 0)
        throw ValueError(where + "the `" + arg + "` argument must be a tuple of " + std::to_string(rank) +
                         " integers. Received " + arg + "=" + str() + " including {" + std::to_string(v) +
                         "} that does not satisfy `value " + (allow_zero ? ">= 0" : "> 0") + "`.");
    return out;
  }

  /// Keras's printed form: "3" or "(3, 5)".
  std::string str() const {
    if (scalar_) return std::to_string(values_[0]);
    std::string s = "(";
    for (std::size_t i = 0; i < values_.size(); ++i) s += (i ? ", " : "") + std::to_string(values_[i]);
    return s + (values_.size() == 1 ? ",)" : ")");
  }

 private:
  std::vector<int> values_;
  bool scalar_ = false;
};

/// Keras lower-cases padding and data_format strings.
inline std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

/// "(3, 5)" for a resolved tuple, as Keras prints it in messages.
inline std::string tuple_str(const std::vector<std::int64_t>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

}  // namespace strata::layers
