#pragma once
#include <string>

namespace strata::callbacks {

/// Python's repr() of a float: the shortest digits that round-trip, fixed notation for exponents in [-4, 16)
/// ("0.0001", "12345678.0"), else scientific ("1e-05", "1e+16"); "nan", "inf", "-inf". Callbacks write numbers
/// this way so their files and messages read as Keras's do.
std::string python_float_repr(double value);

}  // namespace strata::callbacks
