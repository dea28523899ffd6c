#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace strata::callbacks {

/// Python's repr() of a float: the shortest digits that round-trip, fixed notation for exponents in [-4, 16)
/// ("0.0001", "12345678.0"), else scientific ("1e-05", "1e+16"); "nan", "inf", "-inf". Callbacks write numbers
/// this way so their files and messages read as Keras's do.
std::string python_float_repr(double value);

/// A value for python_format: Python's int or float.
using FormatValue = std::variant<std::int64_t, double>;

/// Python's format(value, spec) for an int or a float: [[fill]align][sign][#][0][width][,|_][.precision][type]
/// with types d n b o x X e E f F g G % or none. ValueError for a spec Python rejects.
std::string python_format_value(const FormatValue& value, const std::string& spec);

/// Python's str.format with named fields only ("ckpt-{epoch:02d}-{val_loss:.2f}.h5"): "{{" and "}}" escape
/// braces, "!r"/"!s" are accepted. ValueError naming the field when `values` lacks it or the spec is bad.
std::string python_format(const std::string& format, const std::map<std::string, FormatValue>& values);

}  // namespace strata::callbacks
