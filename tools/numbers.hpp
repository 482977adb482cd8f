// Number text for the command line: parsing straight into the target type, and the shortest
// output that reads back to the same value.
#pragma once

#include <string>
#include <string_view>

namespace sigma::cli {

enum class NumberStatus {
  kOk,
  kInvalid,     // not a number
  kOutOfRange,  // larger in magnitude than the largest finite value of the type
};

// Reads a whole token as a float or double, rounding once, directly to that type. Accepts an
// optional sign ('+' or '-'), decimal and exponent forms, "inf", "infinity" and "nan" in any
// case, and C99 hex floats such as 0x1.8p-3. A value too small for the type rounds to the
// nearest subnormal or to a zero of its sign, as in C's strtof; only overflow is an error.
// `value` is written only on kOk.
template <typename T>
NumberStatus ParseNumber(std::string_view text, T& value);

// The shortest text that reads back to `value` in its own type: "0.1", "1e-45", "-0", "inf",
// "-inf"; every NaN prints as "nan".
template <typename T>
std::string FormatNumber(T value);

}  // namespace sigma::cli
