#include <strata/callbacks/python_format.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <strata/api/errors.hpp>

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


namespace {

struct FormatSpec {
  char fill = ' ';
  char align = 0;  // '<', '>', '=', '^'; 0: the type's default
  char sign = '-';
  bool alternate = false;
  int width = 0;
  char grouping = 0;  // ',' or '_'
  int precision = -1;
  char type = 0;
};

FormatSpec parse_spec(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return ValueError("Invalid format specifier '" + spec + "': " + why);
  };
  FormatSpec f;
  std::size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '=' || c == '^'; };
  if (spec.size() >= 2 && is_align(spec[1])) {
    f.fill = spec[0];
    f.align = spec[1];
    i = 2;
  } else if (!spec.empty() && is_align(spec[0])) {
    f.align = spec[0];
    i = 1;
  }
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) f.sign = spec[i++];
  if (i < spec.size() && spec[i] == 'z') ++i;  // negative zero coercion: numbers here are never -0 in practice
  if (i < spec.size() && spec[i] == '#') f.alternate = true, ++i;
  if (i < spec.size() && spec[i] == '0') {
    if (!f.align) f.fill = '0', f.align = '=';
    ++i;
  }
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) f.width = f.width * 10 + (spec[i++] - '0');
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) f.grouping = spec[i++];
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    if (i == spec.size() || !std::isdigit(static_cast<unsigned char>(spec[i]))) throw bad("format specifier missing precision");
    f.precision = 0;
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])))
      f.precision = f.precision * 10 + (spec[i++] - '0');
  }
  if (i < spec.size()) f.type = spec[i++];
  if (i != spec.size()) throw bad("invalid format specifier");
  return f;
}

/// Inserts the grouping character every `every` digits into the leading run of digits of `body`.
std::string group_digits(const std::string& body, char sep, int every) {
  std::size_t end = 0;
  while (end < body.size() && std::isxdigit(static_cast<unsigned char>(body[end])) && body[end] != 'e' &&
         body[end] != 'E')
    ++end;
  std::string out;
  for (std::size_t k = 0; k < end; ++k) {
    if (k > 0 && (end - k) % static_cast<std::size_t>(every) == 0) out.push_back(sep);
    out.push_back(body[k]);
  }
  return out + body.substr(end);
}

std::string pad(const std::string& sign, const std::string& body, const FormatSpec& f, char default_align) {
  const std::size_t len = sign.size() + body.size();
  if (static_cast<std::size_t>(f.width) <= len) return sign + body;
  const std::size_t n = static_cast<std::size_t>(f.width) - len;
  switch (f.align ? f.align : default_align) {
    case '<': return sign + body + std::string(n, f.fill);
    case '^': return std::string(n / 2, f.fill) + sign + body + std::string(n - n / 2, f.fill);
    case '=': return sign + std::string(n, f.fill) + body;
    default: return std::string(n, f.fill) + sign + body;
  }
}

std::string printf_double(const char* conversion, bool alternate, int precision, double v) {
  char fmt[16];
  std::snprintf(fmt, sizeof fmt, "%%%s.*%s", alternate ? "#" : "", conversion);
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, precision, v);
  return buf;
}

/// "1.500" -> "1.5", "2.000" -> "2"; numbers without a point are returned as they are.
std::string strip_trailing_zeros(std::string digits) {
  if (digits.find('.') == std::string::npos) return digits;
  digits.erase(digits.find_last_not_of('0') + 1);
  if (digits.back() == '.') digits.pop_back();
  return digits;
}

std::string format_float(double v, FormatSpec f, const std::string& spec) {
  const char type = f.type;
  if (type && !std::strchr("eEfFgGn%", type))
    throw ValueError(std::string("Unknown format code '") + type + "' for object of type 'float' (format spec '" +
                     spec + "')");
  std::string sign = std::signbit(v) && !std::isnan(v) ? "-" : (f.sign == '+' ? "+" : f.sign == ' ' ? " " : "");
  const double a = std::abs(v);
  const bool upper = type == 'E' || type == 'F' || type == 'G';
  std::string body;
  if (!std::isfinite(a)) {
    body = std::isnan(a) ? "nan" : "inf";
    if (type == '%') body += '%';
  } else if (!type && f.precision < 0) {
    body = python_float_repr(a);
  } else if (!type || type == 'g' || type == 'G' || type == 'n') {
    const int p = f.precision < 0 ? 6 : std::max(f.precision, 1);
    if (type) {
      body = printf_double("g", f.alternate, p, a);
    } else {
      // no type: like 'g', but scientific from exponent p - 1 on, and a fixed-point result keeps a digit after
      // the point (format(100.0, '.3') == '1e+02', format(1.0, '.3') == '1.0')
      const std::string sci = printf_double("e", false, p - 1, a);
      const std::size_t e = sci.find('e');
      const int exponent = std::atoi(sci.c_str() + e + 1);
      if (exponent < -4 || exponent >= p - 1) {
        body = strip_trailing_zeros(sci.substr(0, e)) + sci.substr(e);
      } else {
        body = strip_trailing_zeros(printf_double("f", false, p - 1 - exponent, a));
        if (body.find('.') == std::string::npos) body += ".0";
      }
    }
  } else if (type == 'e' || type == 'E') {
    body = printf_double("e", f.alternate, f.precision < 0 ? 6 : f.precision, a);
  } else if (type == '%') {
    body = printf_double("f", f.alternate, f.precision < 0 ? 6 : f.precision, a * 100) + "%";
  } else {
    body = printf_double("f", f.alternate, f.precision < 0 ? 6 : f.precision, a);
  }
  if (upper)
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (f.grouping) body = group_digits(body, f.grouping, 3);
  return pad(sign, body, f, '>');
}

std::string format_int(std::int64_t v, const FormatSpec& f, const std::string& spec) {
  const char type = f.type;
  if (type && std::strchr("eEfFgG%", type)) return format_float(static_cast<double>(v), f, spec);
  if (type && !std::strchr("dnboxX", type))
    throw ValueError(std::string("Unknown format code '") + type + "' for object of type 'int' (format spec '" + spec +
                     "')");
  if (f.precision >= 0) throw ValueError("Precision not allowed in integer format specifier '" + spec + "'");
  std::string sign = v < 0 ? "-" : (f.sign == '+' ? "+" : f.sign == ' ' ? " " : "");
  std::uint64_t a = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const int base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  std::string body;
  do {
    body.push_back("0123456789abcdef"[a % static_cast<std::uint64_t>(base)]);
    a /= static_cast<std::uint64_t>(base);
  } while (a);
  std::reverse(body.begin(), body.end());
  if (type == 'X')
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (f.grouping) body = group_digits(body, f.grouping, base == 10 ? 3 : 4);
  if (f.alternate && base != 10) sign += base == 2 ? "0b" : base == 8 ? "0o" : type == 'X' ? "0X" : "0x";
  return pad(sign, body, f, '>');
}

/// A converted field (!r, !s) is a Python str: only fill, align, width and precision (truncation) apply.
std::string format_string(std::string s, const FormatSpec& f, const std::string& spec) {
  if (f.type && f.type != 's')
    throw ValueError(std::string("Unknown format code '") + f.type + "' for object of type 'str' (format spec '" +
                     spec + "')");
  if (f.precision >= 0 && static_cast<std::size_t>(f.precision) < s.size()) s.resize(static_cast<std::size_t>(f.precision));
  return pad("", s, f, '<');
}

}  // namespace

std::string python_format_value(const FormatValue& value, const std::string& spec) {
  const FormatSpec f = parse_spec(spec);
  if (const auto* i = std::get_if<std::int64_t>(&value)) return format_int(*i, f, spec);
  return format_float(std::get<double>(value), f, spec);
}

std::string python_format(const std::string& format, const std::map<std::string, FormatValue>& values) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') {
        out.push_back('}');
        ++i;
        continue;
      }
      throw ValueError("Single '}' encountered in format string \"" + format + "\"");
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    const std::size_t close = format.find('}', i);
    if (close == std::string::npos) throw ValueError("Single '{' encountered in format string \"" + format + "\"");
    const std::string field = format.substr(i + 1, close - i - 1);
    if (field.find('{') != std::string::npos)
      throw ValueError("Nested replacement fields are not supported in format string \"" + format + "\"");
    const std::size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    const std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    char conversion = 0;
    if (const std::size_t bang = name.find('!'); bang != std::string::npos) {
      if (bang + 2 != name.size() || !std::strchr("rsa", name[bang + 1]))
        throw ValueError("Invalid conversion specifier in field {" + field + "} of \"" + format + "\"");
      conversion = name[bang + 1];
      name.resize(bang);
    }
    auto it = values.find(name);
    if (it == values.end()) {
      std::string available;
      for (const auto& [k, v] : values) available += (available.empty() ? "" : ", ") + k;
      throw ValueError("Failed to format \"" + format + "\": no value named '" + name + "' (available: " + available +
                       ")");
    }
    if (conversion) {
      const FormatValue& v = it->second;
      std::string repr = std::holds_alternative<std::int64_t>(v) ? std::to_string(std::get<std::int64_t>(v))
                                                                 : python_float_repr(std::get<double>(v));
      out += format_string(repr, parse_spec(spec), spec);
    } else {
      out += python_format_value(it->second, spec);
    }
    i = close;
  }
  return out;
}

}  // namespace strata::callbacks
