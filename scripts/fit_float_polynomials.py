#!/usr/bin/python3
"""Fits the float kernels' polynomials, for relative error by reweighted least squares on
Chebyshev nodes (close to minimax), with each coefficient rounded to float in turn and the rest
refitted, so that the float coefficients keep the fit's accuracy:
- near the roots of f' (silu, mish, the tanh form of gelu), where the general formula's terms
  cancel: f'(x) = h P(h) with h = x - x0, x0 the root to 50 digits split into two floats;
- tanh near 0: tanh(x) = x + x z P(z), z = x^2, on |x| <= 0.55;
- tanh on AVX-512, piecewise: [0, 2^-12] and then 31 intervals of x of half a binade each (the
  same exponent and top mantissa bit) up to 9.5, where tanh rounds to 1, a polynomial of degree 7
  in h = x - (the interval's midpoint; 0 in the first);
- sigmoid on AVX-512 for |x| < 8: sigmoid(-t) = 1/(1 + e^t) on 32 intervals of t 8/31 wide, a
  polynomial of degree 5 in w = 31t/8 - k for interval k, c_0 as a pair of floats;
- mish and softplus (logsigmoid) on AVX-512 for |x| < 8: mish(x)/x = tanh(softplus(x)) and
  softplus(x) on 31 intervals of x 8/15 wide, degree 6 in w = 15x/8 - k, c_0 as a pair of floats;
  mish'(x)/(x - x0) and silu'(x)/(x - x0) the same way (degree 7), x0 the root;
- softplus's log1p(e) = 2 atanh(s), s = e/(2 + e): atanh(s) = s (1 + z P(z)), z = s^2 <= 1/9;
- the exponential's fast path: e^r - 1 = r + r^2 (c2 + c3 r) on |r| <= ln2/32, beside a table of
  2^(j/16) (error relative to e^r);
- GELU's Phi(-t) = e^(-t^2/2) R(t) for t in [0, 15], and gelu'(-t) = e^(-t^2/2) (t - t0) S(t)
  with S = (R(t) - t/sqrt(2 pi))/(t - t0), both piecewise: on 16 intervals, a quarter wide near 0
  and 2 wide beyond 7 (those of t + 1 with the same exponent and top two mantissa bits), a
  polynomial in h = t - (the interval's midpoint), c_0 as a pair of floats;
- GELU on AVX-512 for |x| < 8, both forms: gelu(-t)/(-t) and gelu'(-t) (the latter with its root
  divided out) on 32 intervals of s = t (t + 1) (erf form) or s = t (1 + k t^2) (tanh form), which
  narrow as the Gaussian or the gate steepens, a polynomial in h = t - m_k (m_k a float in the
  interval, so that h is exact), c_0 as a pair of floats.

Usage: scripts/fit_float_polynomials.py   (prints the C++ constants; needs python3-mpmath)
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
sigmoid = lambda x: 1 / (1 + mp.exp(-x))
softplus = lambda x: mp.log1p(mp.exp(x))
# name: (f', a guess at its root, window in h, degree)
FUNCTIONS = {
    "silu": (lambda x: sigmoid(x) * (1 + x * sigmoid(-x)), -1.2785, (-0.75, 0.6), 9),
    "mish": (lambda x: mp.tanh(softplus(x)) + x * sigmoid(x) * (1 - mp.tanh(softplus(x))**2),
             -1.1924, (-0.75, 0.6), 10),
    "gelu:approximate=tanh": (lambda x: gelu_tanh_derivative(x), -0.7522, (-0.6, 0.45), 9),
}


def gelu_tanh_derivative(x):
    """d/dx x sigma(2u), u = sqrt(2/pi) (x + 0.044715 x^3), with the constants as doubles."""
    c, k = mp.sqrt(2 / mp.pi), mp.mpf(0.044715)
    v = 2 * c * (x + k * x**3)
    return sigmoid(v) * (1 + x * 2 * c * (1 + 3 * k * x**2) * sigmoid(-v))


def fit(h, y, degree, fixed, weight=None):
    """Fit of y ~ sum c_k h^k with c_0..c_{len(fixed)-1} given, for the error times weight
    (by default 1/|y|: relative error)."""
    weight = 1 / np.abs(y) if weight is None else weight
    base = sum(c * h**k for k, c in enumerate(fixed))
    powers = np.vander(h, degree + 1, increasing=True)[:, len(fixed):]
    reweight = np.ones_like(h)
    for _ in range(40):
        w = weight * reweight
        free = np.linalg.lstsq(powers * w[:, None], (y - base) * w, rcond=None)[0]
        error = np.abs((powers @ free + base - y) * weight)
        reweight *= np.sqrt(error / error.max() + 1e-3)
        reweight /= reweight.max()
    return list(fixed) + list(free), error.max()


def hex_float(v):
    """A float as a C++ hex literal without trailing zeros: 0x1.be141p-3f."""
    mantissa, exponent = float(v).hex().split("p")
    return f"{mantissa.rstrip('0').rstrip('.')}p{exponent}f"


def fit_float(x, y, degree, split_c0=False, weight=None):
    """Float coefficients c_0..c_degree and the (weighted, by default relative) error they reach;
    with split_c0, c_0 stays a double (for a pair of floats)."""
    weight = 1 / np.abs(y) if weight is None else weight
    fixed = []
    for k in range(degree + 1):
        coefficients, _ = fit(x, y, degree, fixed, weight)
        keep_double = split_c0 and k == 0
        fixed.append(float(coefficients[k]) if keep_double else float(np.float32(coefficients[k])))
    error = np.abs((sum(c * x**k for k, c in enumerate(fixed)) - y) * weight).max()
    return fixed, error


def nodes(lo, hi, n=800):
    return np.cos(np.pi * (np.arange(n) + 0.5) / n) * (hi - lo) / 2 + (hi + lo) / 2


def print_rows(rows):
    """A table's rows as C++ initialisers, one per line."""
    for row in rows:
        print("{" + ", ".join(hex_float(c) for c in row) + "},")


def print_polynomial(title, coefficients, error):
    print(f"// {title}, degree {len(coefficients) - 1}, relative error 2^{np.log2(error):.1f}")
    print("{" + ", ".join(hex_float(c) for c in coefficients) + "}")


def print_piecewise(title, function, degree=6):
    """function(t) for t in [0, 15] by intervals, as a table of 16 lanes per coefficient: lane
    (bits(t + 1) >> 21) mod 16 holds the interval of t + 1 in [2^e (1 + j/4), 2^e (1 + (j+1)/4))."""
    rows = [[0.0] * 16 for _ in range(degree + 2)]  # c0 high, c0 low, c1..c_degree
    worst = 0
    for e in range(4):
        for j in range(4):
            lo, hi = 2**e * (1 + j / 4) - 1, 2**e * (1 + (j + 1) / 4) - 1
            mid = (lo + hi) / 2
            h = nodes(lo - mid, hi - mid, 300)
            y = np.array([float(function(mid + mp.mpf(v))) for v in h])
            c, error = fit_float(h, y, degree, split_c0=True)
            worst = max(worst, error)
            lane = ((127 + e) * 4 + j) % 16
            rows[0][lane] = float(np.float32(c[0]))
            rows[1][lane] = float(np.float32(c[0] - rows[0][lane]))
            for k in range(1, degree + 1):
                rows[k + 1][lane] = c[k]
    print(f"// {title} on 16 intervals of t in [0, 15], degree {degree}, "
          f"relative error 2^{np.log2(worst):.1f}; rows c0 high, c0 low, c1..c{degree}")
    print_rows(rows)


def print_gelu_tables():
    """GELU's R(t) = Phi(-t) e^(t^2/2), and (R(t) - t/sqrt(2 pi))/(t - t0) for its derivative,
    t0 = 0.7518 the root of R(t) - t/sqrt(2 pi) (gelu' at -t0), split into two floats."""
    mills = lambda t: mp.ncdf(-t) * mp.exp(t**2 / 2)
    slope = lambda t: mills(t) - t / mp.sqrt(2 * mp.pi)
    t0 = mp.findroot(slope, 0.7518)
    t0_high = np.float32(float(t0))
    t0_low = np.float32(float(t0 - mp.mpf(float(t0_high))))
    print_piecewise("gelu: Phi(-t) e^(t^2/2)", mills)
    print_piecewise(f"gelu': (Phi(-t) e^(t^2/2) - t/sqrt(2 pi))/(t - t0), t0 = "
                    f"{hex_float(t0_high)} + ({hex_float(t0_low)})",
                    lambda t: slope(t) / (t - t0), degree=5)


def print_tanh_table(degree=7, target=2**-27.5):
    """tanh(x) for x in [0, 9.5] by intervals, as a table of 32 lanes per row: lane
    max(0, (bits(x) >> 22) - 229) holds [2^e (1 + j/2), 2^e (1 + (j+1)/2)), e = -12..3, j = 0, 1,
    (the last cut at 9.5), lane 0 all of [0, 2^-12) by tanh's Taylor series (x^5 below 2^-48 of
    tanh there). Each interval takes the lowest degree up to `degree` whose fit (c0 unrounded)
    reaches `target`. Rows: the midpoints, then c0..c_degree."""
    rows = [[0.0] * 32 for _ in range(degree + 2)]
    rows[2][0], rows[4][0] = 1.0, float(np.float32(-1 / 3))
    worst = 0
    for lane in range(1, 32):
        e, j = (lane - 1) // 2 - 12, (lane - 1) % 2
        lo, hi = 2.0**e * (1 + j / 2), min(2.0**e * (1 + (j + 1) / 2), 9.5)
        mid = float(np.float32((lo + hi) / 2))
        h = nodes(lo - mid, hi - mid, 300)
        y = np.array([float(mp.tanh(mid + mp.mpf(v))) for v in h])
        for d in range(1, degree + 1):
            c, _ = fit_float(h, y, d, split_c0=True)
            _, error = fit(h, y, d, c[:1])  # the fit's own error, c0 unrounded
            if error <= target:
                break
        worst = max(worst, error)
        c, _ = fit_float(h, y, d)
        rows[0][lane] = mid
        for k in range(d + 1):
            rows[k + 1][lane] = c[k]
    print(f"// tanh on 32 intervals of x in [0, 9.5], degree up to {degree}, relative error "
          f"2^{np.log2(worst):.1f} (c0 rounded to float adds half an ulp); rows: midpoints, "
          f"c0..c{degree}")
    print_rows(rows)


def print_sigmoid_table(degree=5):
    """q(t) = 1/(1 + e^t) = sigmoid(-t) for t in [0, 8] on 32 intervals, as a table of 32 lanes
    per coefficient: lane k holds q((k + w) 8/31) as a polynomial in w in [-1/2, 1/2] (relative
    error), k = round(31 t/8), c0 = q(8k/31) as a pair of floats. Rows c0 high, c0 low,
    c1..c_degree."""
    rows = [[0.0] * 32 for _ in range(degree + 2)]
    worst = 0
    w = nodes(-0.5, 0.5, 200)
    for k in range(32):
        q = lambda v: 1 / (1 + mp.exp((k + mp.mpf(v)) * 8 / 31))
        y = np.array([float(q(v)) for v in w])
        # c0 is q at the midpoint, so that lane 0 gives q(0) = 1/2 exactly (silu keeps -0's sign)
        c = [float(q(0))]
        for j in range(1, degree + 1):
            c.append(float(np.float32(fit(w, y, degree, c)[0][j])))
        error = np.abs((sum(cj * w**j for j, cj in enumerate(c)) - y) / y).max()
        worst = max(worst, error)
        rows[0][k] = float(np.float32(c[0]))
        rows[1][k] = float(np.float32(c[0] - rows[0][k]))
        for j in range(1, degree + 1):
            rows[j + 1][k] = c[j]
    print(f"// sigmoid(-t) on 32 intervals of t in [0, 8], degree {degree}, relative error "
          f"2^{np.log2(worst):.1f}; rows c0 high, c0 low, c1..c{degree}")
    print_rows(rows)


def divided_note(variable, root):
    """The title's note for a table fitted with a root divided out: the root as a pair of floats."""
    if root is None:
        return ""
    high = np.float32(float(root))
    low = np.float32(float(root - mp.mpf(float(high))))
    return (f", divided by {variable} - {variable}0, {variable}0 = {mp.nstr(root, 17)} = "
            f"{hex_float(high)} + ({hex_float(low)})")


def print_signed_table(title, function, degree, root=None):
    """function(x) for x in [-8, 8] on 31 intervals 8/15 wide, as a table of 32 lanes per
    coefficient: lane k mod 32 holds function((k + w) 8/15) for k = round(15 x/8) in [-15, 15], a
    polynomial in w in [-1/2, 1/2] (relative error), c0 = the value at the midpoint as a pair of
    floats. Rows c0 high, c0 low, c1..c_degree. With a root of the function (a guess), the
    polynomial is of function(x)/(x - x0), x0 the root (printed as a pair of floats), so that the
    relative error holds near it (in the neighbouring intervals too)."""
    rows = [[0.0] * 32 for _ in range(degree + 2)]
    x0 = mp.findroot(function, root) if root is not None else None
    worst = 0
    w = nodes(-0.5, 0.5, 200)
    for k in range(-15, 16):
        lane = k % 32
        f = lambda v: function((k + mp.mpf(v)) * 8 / 15) / (
            1 if x0 is None else (k + mp.mpf(v)) * 8 / 15 - x0)
        y = np.array([float(f(v)) for v in w])
        c = [float(f(0))]
        for j in range(1, degree + 1):
            c.append(float(np.float32(fit(w, y, degree, c)[0][j])))
        error = np.abs((sum(cj * w**j for j, cj in enumerate(c)) - y) / y).max()
        worst = max(worst, error)
        rows[0][lane] = float(np.float32(c[0]))
        rows[1][lane] = float(np.float32(f(0) - mp.mpf(rows[0][lane])))
        for j in range(1, degree + 1):
            rows[j + 1][lane] = c[j]
    print(f"// {title}{divided_note('x', x0)} on 31 intervals of x in [-8, 8], degree {degree}, "
          f"relative error 2^{np.log2(worst):.1f}; rows c0 high, c0 low, c1..c{degree}")
    print_rows(rows)


def print_tail_table(title, function, degree, index, root=None):
    """function(t) for t = |x| in [0, 8], where it falls off like a Gaussian or faster, on 32
    intervals of s = index(t) (increasing from index(0) = 0), s(8)/31 wide: lane k for
    k = round(31 s/s(8)). index grows like -log(function), so that function changes by at most
    about e^(+-0.8) over an interval. A polynomial in h = t - m_k, m_k a float inside the interval
    (so that t - m_k is exact: beyond k = 0 the interval's ends lie within a factor 2 of it; a
    short float for k = 0), c0 = the value at m_k as a pair of floats. Rows m_k, c0 high, c0 low,
    c1..c_degree. With a root, of function(t)/(t - t0) as in print_signed_table."""
    t0 = mp.findroot(function, root) if root is not None else None
    rows = [[0.0] * 32 for _ in range(degree + 3)]
    worst = 0
    top = index(mp.mpf(8))
    t_of = lambda s: mp.findroot(lambda t: index(t) - s, 1) if s > 0 else mp.mpf(0)
    for k in range(32):
        # The interval, widened by 10^-6 for the rounding of s and of the scale.
        lo = t_of(max(0, (k - mp.mpf(0.5)) * top / 31)) * (1 - mp.mpf(1e-6))
        hi = t_of((k + mp.mpf(0.5)) * top / 31) * (1 + mp.mpf(1e-6))
        if k == 0:
            mid = float(mp.mpf(2)**mp.floor(mp.log(hi / 2, 2)) * 1.5)
            mid = mid if mid < hi else mid / 1.5
        else:
            mid = float(np.float32(float((lo + hi) / 2)))
        g = lambda t: function(t) / (1 if t0 is None else t - t0)
        h = nodes(float(lo) - mid, float(hi) - mid, 300)
        y = np.array([float(g(mid + mp.mpf(v))) for v in h])
        c = [float(g(mp.mpf(mid)))]
        for j in range(1, degree + 1):
            c.append(float(np.float32(fit(h, y, degree, c)[0][j])))
        worst = max(worst, np.abs((sum(cj * h**j for j, cj in enumerate(c)) - y) / y).max())
        rows[0][k] = mid
        rows[1][k] = float(np.float32(c[0]))
        rows[2][k] = float(np.float32(g(mp.mpf(mid)) - mp.mpf(rows[1][k])))
        for j in range(1, degree + 1):
            rows[j + 2][k] = c[j]
    print(f"// {title}{divided_note('t', t0)} on 32 intervals of t in [0, 8], "
          f"s(8) = {mp.nstr(top, 17)}, degree {degree}, relative error 2^{np.log2(worst):.1f}; "
          f"rows m, c0 high, c0 low, c1..c{degree}")
    print_rows(rows)


def print_gelu_tail_tables():
    """GELU on AVX-512 for |x| < 8, t = |x|: gelu(-t)/(-t) and gelu'(-t) (gelu(x)/x and gelu'(x)
    for x > 0 are 1 minus them), for the erf form on intervals of s = t (t + 1) (degree 7), for
    the tanh form, whose gate is sigma(-v), v = 2u = 2 sqrt(2/pi) (t + k t^3), on intervals of
    s = t (1 + k t^2) (degree 8: sigma's poles lie closer to the real axis)."""
    gaussian = lambda t: t * (1 + t)
    print_tail_table("gelu(-t)/(-t) = Phi(-t)", lambda t: mp.ncdf(-t), 7, gaussian)
    print_tail_table("gelu'(-t) = Phi(-t) - t phi(t)", lambda t: mp.ncdf(-t) - t * mp.npdf(t), 7,
                     gaussian, root=0.7518)
    c, k = mp.sqrt(2 / mp.pi), mp.mpf(0.044715)
    cubic = lambda t: t * (1 + k * t**2)
    gate = lambda t: sigmoid(-2 * c * cubic(t))
    print_tail_table("tanh form: gelu(-t)/(-t) = sigma(-v)", gate, 8, cubic)
    print_tail_table("tanh form: gelu'(-t)", lambda t: gelu_tanh_derivative(-t), 8, cubic,
                     root=0.7522)


def print_exp_table():
    """e^x = 2^k 2^(j/16) e^r, |r| <= ln2/32: 2^(j/16) as floats with their relative rounding
    errors, and e^r - 1 = r + r^2 (c2 + c3 r) for the error relative to e^r."""
    powers = [mp.mpf(2)**(mp.mpf(j) / 16) for j in range(16)]
    high = [float(np.float32(float(p))) for p in powers]
    low = [float(np.float32(float((p - h) / h))) for p, h in zip(powers, high)]
    print("// exp: 2^(j/16) as floats, then their relative rounding errors")
    print("{" + ", ".join(hex_float(c) for c in high) + "}")
    print("{" + ", ".join(hex_float(c) for c in low) + "}")
    r = nodes(-float(mp.log(2) / 32), float(mp.log(2) / 32))
    y = np.array([float((mp.expm1(v) - v) / v**2) for v in r])
    coefficients, error = fit_float(r, y, 1, weight=r**2 / np.exp(r))
    print(f"// exp: (e^r - 1 - r)/r^2 on |r| <= ln2/32, degree 1, error 2^{np.log2(error):.1f} "
          "of e^r")
    print("{" + ", ".join(hex_float(c) for c in coefficients) + "}")


def main():
    z = nodes(1e-6, 0.55**2)
    y = np.array([float((mp.tanh(mp.sqrt(v)) / mp.sqrt(v) - 1) / v) for v in z])
    print_polynomial("tanh: (tanh(x)/x - 1)/z in z = x^2 on [0, 0.55^2]", *fit_float(z, y, 5))
    z = nodes(1e-8, 1 / 9)
    y = np.array([float((mp.atanh(mp.sqrt(v)) / mp.sqrt(v) - 1) / v) for v in z])
    print_polynomial("softplus: (atanh(s)/s - 1)/z in z = s^2 on [0, 1/9]", *fit_float(z, y, 4))
    print_tanh_table()
    print_sigmoid_table()
    print_signed_table("mish(x)/x = tanh(softplus(x))", lambda x: mp.tanh(softplus(x)), 6)
    print_signed_table("softplus(x)", softplus, 6)
    print_signed_table("mish'(x)", FUNCTIONS["mish"][0], 7, root=-1.1924)
    print_signed_table("silu'(x)", FUNCTIONS["silu"][0], 7, root=-1.2785)
    print_gelu_tables()
    print_gelu_tail_tables()
    print_exp_table()
    for name, (derivative, guess, (lo, hi), degree) in FUNCTIONS.items():
        x0 = mp.findroot(derivative, guess)
        x0_high = np.float32(float(x0))
        x0_low = np.float32(float(x0 - mp.mpf(float(x0_high))))
        h = nodes(lo, hi)
        y = np.array([float(derivative(x0 + mp.mpf(v)) / mp.mpf(v)) for v in h])
        print_polynomial(f"{name}': root {mp.nstr(x0, 20)} = {hex_float(x0_high)} + "
                         f"({hex_float(x0_low)}), h in [{lo}, {hi}]",
                         *fit_float(h, y, degree))


if __name__ == "__main__":
    main()
