// High-precision oracle for the activation catalog, built on GNU MPFR. It evaluates the defining
// formulas of docs/functions.md directly at a high working precision (raised until two
// precisions agree), independently of the library's double-precision kernels, so that the tests
// can measure their error in ulps and `sigma accuracy` can decide a 16-bit rounding where double
// cannot. Not part of the library (CMake target sigma_oracle). Safe to call from several threads
// at once.
#pragma once

#include <array>
#include <string_view>

namespace sigma::mpfr {

// The exact value as an unevaluated sum hi + lo: hi is the exact value rounded to nearest double
// (±inf when it overflows double, a signed zero/subnormal when it underflows), lo is the exact
// remainder (exact - hi) rounded to double (0 when hi is infinite).
struct Exact {
  double hi;
  double lo;
};

// Returns false if `name` is not a function the oracle knows (canonical names only, no aliases),
// or if x is not finite. `p` holds the parameters in the order given in functions.md (unused slots
// ignored). Invalid parameters (such as gelu's approximate not 0 or 1) give hi = NaN, lo = 0.
bool oracle(std::string_view name, const std::array<double, 4>& p, double x, bool derivative,
            Exact* out);

// f' from the output y = f(x) as the catalog's from_output formula at the y given, for elu, selu
// and celu (whose formulas cancel at saturation); false for other names or a non-finite y.
bool oracle_from_output(std::string_view name, const std::array<double, 4>& p, double y,
                        Exact* out);

// Names the oracle knows, for tests that check every catalog entry has an oracle.
bool oracle_knows(std::string_view name);

// Error of `computed` in units in the last place of the given binary format (24 for float,
// 53 for double; 11 for binary16 and 8 for bfloat16 also work) at the exact value:
// |computed - exact| / ulp(exact), where ulp(v) = 2^(e-p+1) for |v| in [2^e, 2^(e+1)), fixed at the
// smallest subnormal spacing below the normal range (2^-149 for float, 2^-1074 for double).
// If exact rounds to ±inf in that format and computed is the same infinity, the error is 0; if
// computed is ±inf but exact is finite in that format, or the signs of the infinities differ, it is
// +inf. It is also +inf when computed is NaN (so that a NaN cannot vanish in a running maximum) or
// when exact.hi is ±inf and computed is finite (the exact value is then unknown); it is 0 when both
// are NaN. Returns NaN for an unsupported precision_bits.
double ulp_error(double computed, const Exact& exact, int precision_bits);

}  // namespace sigma::mpfr
