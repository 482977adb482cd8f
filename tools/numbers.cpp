#include "numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace sigma::cli {
namespace {

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Takes a "0x" or "0X" prefix off `body`; true if there was one.
bool ConsumeHexPrefix(std::string_view& body) {
  if (body.size() < 2 || body[0] != '0' || (body[1] != 'x' && body[1] != 'X')) return false;
  body.remove_prefix(2);
  return true;
}

// True unless `body` has an exponent (after one of `markers`) that is not one optional sign and
// decimal digits. libstdc++'s from_chars reads "0x1p+-3" as 0x1p-3, where C (and strtod, which
// sees "0x1") stops at the second sign.
bool ExponentIsWellFormed(std::string_view body, std::string_view markers) {
  const std::size_t marker = body.find_first_of(markers);
  if (marker == std::string_view::npos) return true;
  std::string_view exponent = body.substr(marker + 1);
  if (!exponent.empty() && (exponent.front() == '+' || exponent.front() == '-')) {
    exponent.remove_prefix(1);
  }
  return !exponent.empty() && exponent.find_first_not_of("0123456789") == std::string_view::npos;
}

template <typename T>
T StringTo(const char* text);
template <>
float StringTo<float>(const char* text) {
  return std::strtof(text, nullptr);
}
template <>
double StringTo<double>(const char* text) {
  return std::strtod(text, nullptr);
}

}  // namespace

template <typename T>
NumberStatus ParseNumber(std::string_view text, T& value) {
  // from_chars takes neither '+' nor a "0x" prefix, so the sign and prefix are handled here.
  std::string_view body = text;
  const bool negative = !body.empty() && body.front() == '-';
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  auto format = std::chars_format::general;
  if (ConsumeHexPrefix(body)) {
    format = std::chars_format::hex;
    // from_chars would read "inf" or a sign after the prefix too; a hex float needs a digit.
    if (body.empty() || !(IsHexDigit(body.front()) || body.front() == '.')) {
      return NumberStatus::kInvalid;
    }
  } else if (body.empty() || body.front() == '+' || body.front() == '-') {
    return NumberStatus::kInvalid;  // a second sign, which from_chars would accept
  }

  if (!ExponentIsWellFormed(body, format == std::chars_format::hex ? "pP" : "eE")) {
    return NumberStatus::kInvalid;
  }
  T magnitude{};
  const char* end = body.data() + body.size();
  const auto [ptr, ec] = std::from_chars(body.data(), end, magnitude, format);
  if (ptr != end) return NumberStatus::kInvalid;
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports underflow to zero in the same way as overflow and leaves the value
    // unset. strtof/strtod round the same text correctly and tell the two apart: HUGE_VAL for
    // overflow. (They read '.' as sigma never calls setlocale.)
    const T rounded = StringTo<T>(std::string(text).c_str());
    if (std::isinf(rounded)) return NumberStatus::kOutOfRange;
    value = rounded;
    return NumberStatus::kOk;
  }
  if (ec != std::errc{}) return NumberStatus::kInvalid;
  value = negative ? -magnitude : magnitude;
  return NumberStatus::kOk;
}

template <typename T>
std::string FormatNumber(T value) {
  if (std::isnan(value)) return "nan";  // to_chars would write "-nan" when the sign bit is set
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

template NumberStatus ParseNumber<float>(std::string_view, float&);
template NumberStatus ParseNumber<double>(std::string_view, double&);
template std::string FormatNumber<float>(float);
template std::string FormatNumber<double>(double);

}  // namespace sigma::cli
