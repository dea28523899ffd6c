#include <strata/callbacks/python_format.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace strata::callbacks {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  // shortest round-trip digits in scientific form: d[.ddd]e[+-]xx
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::abs(value), std::chars_format::scientific);
  std::string sci(buf, end);
  const auto e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  const int exponent = std::atoi(sci.c_str() + e + 1);
  const int decpt = exponent + 1;  // value = 0.<digits> * 10^decpt
  const int n = static_cast<int>(digits.size());
  std::string out;
  if (std::signbit(value)) out.push_back('-');
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out.append("0.").append(static_cast<std::size_t>(-decpt), '0').append(digits);
    } else if (decpt >= n) {
      out.append(digits).append(static_cast<std::size_t>(decpt - n), '0').append(".0");
    } else {
      out.append(digits, 0, static_cast<std::size_t>(decpt)).push_back('.');
      out.append(digits, static_cast<std::size_t>(decpt));
    }
    return out;
  }
  out.push_back(digits[0]);
  if (n > 1) out.append(".").append(digits, 1);
  const int x = decpt - 1;
  out.push_back('e');
  out.push_back(x < 0 ? '-' : '+');
  if (std::abs(x) < 10) out.push_back('0');
  out.append(std::to_string(std::abs(x)));
  return out;
}

}  // namespace strata::callbacks
