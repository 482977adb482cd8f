// The command line's number parser on any text, against the C library: a token it accepts reads
// to the same bits as strtof/strtod, one it calls out of range overflows there too, and the
// shortest text it prints for the value reads back to the same bits.
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

template <typename T>
T c_library(const std::string& text, char** end) {
  if constexpr (sizeof(T) == sizeof(float)) {
    return std::strtof(text.c_str(), end);
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
