// Activation::parse on any text. Property: a spec that parses has a canonical form that parses
// to the same function with the same parameters, bit for bit (so a lost sign of zero counts),
// and whose forward values are the same bits at a few telling inputs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& input, const std::string& canonical, const char* what) {
  std::fprintf(stderr, "round trip of '%s' via '%s': %s\n", input.c_str(), canonical.c_str(), what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::optional<sigma::Activation> parsed;
  try {
    parsed = sigma::Activation::parse(input);
  } catch (const sigma::Error&) {
    return 0;
  }
  const std::string canonical = parsed->spec();
  std::optional<sigma::Activation> again;
  try {
    again = sigma::Activation::parse(canonical);
  } catch (const sigma::Error& e) {
    fail(input, canonical, e.what());
  }
  if (again->name() != parsed->name()) fail(input, canonical, "another function");
  if (again->spec() != canonical) fail(input, canonical, "another canonical spec");
  if (std::memcmp(again->params().data(), parsed->params().data(), sizeof(sigma::Params)) != 0) {
    fail(input, canonical, "other parameter bits");
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::vector<double> x = {-kInf,
                                 -1e300,
                                 -40,
                                 -1,
                                 -0.5,
                                 -0.0,
                                 0.0,
                                 1e-310,
                                 0.5,
                                 1,
                                 40,
                                 kInf,
                                 std::numeric_limits<double>::quiet_NaN()};
  std::vector<double> y(x.size()), y_again(x.size()), d(x.size());
  parsed->forward(x, y);
  parsed->derivative(x, d);
  again->forward(x, y_again);
  if (std::memcmp(y.data(), y_again.data(), y.size() * sizeof(double)) != 0) {
    fail(input, canonical, "other forward values");
  }
  return 0;
}
