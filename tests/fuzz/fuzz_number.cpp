// The command line's number parser on any text, against the C library: a token it accepts reads
// to the same bits as strtof/strtod, one it calls out of range overflows there too, and the
// shortest text it prints for the value reads back to the same bits.
#include <mpfr.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "numbers.hpp"

namespace {

template <typename T>
bool same_bits(T a, T b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof(T)) == 0;
}

bool is_hex(const std::string& text) {
  const std::size_t digits = text.find_first_not_of("+-");
  return text.size() > digits + 1 && text[digits] == '0' && (text[digits + 1] | 0x20) == 'x';
}

// glibc 2.36's strtof rounds some hexadecimal subnormals wrongly ("0x1.000005p-128" reads as
// 0x1p-128; the nearest float is 0x1.000008p-128, 0.625 of a subnormal step above), so the float
// value of a hex token comes from MPFR: rounded once to 24 bits, then onto the subnormal grid.
float exact_hex_float(const std::string& text) {
  const mpfr_exp_t emin = mpfr_get_emin();
  const mpfr_exp_t emax = mpfr_get_emax();
  mpfr_set_emin(-148);  // 2^-149 = 0.5 * 2^-148 in MPFR's convention
  mpfr_set_emax(128);
  mpfr_t x;
  mpfr_init2(x, 24);
  int ternary = mpfr_strtofr(x, text.c_str(), nullptr, 0, MPFR_RNDN);
  ternary = mpfr_check_range(x, ternary, MPFR_RNDN);
  mpfr_subnormalize(x, ternary, MPFR_RNDN);
  const float value = mpfr_get_flt(x, MPFR_RNDN);
  mpfr_clear(x);
  mpfr_set_emin(emin);
  mpfr_set_emax(emax);
  return value;
}

template <typename T>
T c_library(const std::string& text, char** end) {
  if constexpr (sizeof(T) == sizeof(float)) {
    const float value = std::strtof(text.c_str(), end);
    return is_hex(text) && !std::isnan(value) ? exact_hex_float(text) : value;
  } else {
    return std::strtod(text.c_str(), end);
  }
}

template <typename T>
void check(const std::string& text) {
  using sigma::cli::NumberStatus;
  T value{};
  const NumberStatus status = sigma::cli::ParseNumber(text, value);
  if (status == NumberStatus::kInvalid) return;
  if (text.find('\0') != std::string::npos) {
    std::fprintf(stderr, "accepted a token with a NUL byte\n");
    std::abort();
  }
  char* end = nullptr;
  errno = 0;
  const T expected = c_library<T>(text, &end);
  if (end != text.c_str() + text.size()) {
    std::fprintf(stderr, "'%s': accepted, but the C library reads only %td characters\n",
                 text.c_str(), end - text.c_str());
    std::abort();
  }
  if (status == NumberStatus::kOutOfRange) {
    if (!std::isinf(expected)) {
      std::fprintf(stderr, "'%s': out of range, but the C library reads %a\n", text.c_str(),
                   static_cast<double>(expected));
      std::abort();
    }
    return;
  }
  if (!same_bits(value, expected)) {
    std::fprintf(stderr, "'%s': %a, the C library %a\n", text.c_str(), static_cast<double>(value),
                 static_cast<double>(expected));
    std::abort();
  }
  const std::string printed = sigma::cli::FormatNumber(value);
  T back{};
  if (sigma::cli::ParseNumber(printed, back) != NumberStatus::kOk || !same_bits(back, value)) {
    std::fprintf(stderr, "'%s' printed as '%s' does not read back\n", text.c_str(),
                 printed.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check<float>(text);
  check<double>(text);
  return 0;
}
