#!/usr/bin/python3
"""Prints the roots of f' that src/activations/kernels/derivative_roots.hpp holds, as double-doubles.

Each root is found with mpmath at 300 bits and split into three doubles, hi (the root rounded to
double), lo (the rest rounded) and lo2 (what remains), so hi + lo + lo2 is the root to about
2^-160 relative: x - hi is exact for x near the root, and x - root stays accurate even where x is
a double-double (beta x) far closer to the root than an ulp. Run it with
Debian's python3 (python3-mpmath) and paste its output into the header.
"""
from mpmath import erfc, exp, findroot, log, mp, mpf, pi, sqrt, tan, tanh

mp.prec = 300


def split(v):
    hi = float(v)
    lo = float(v - mpf(hi))
    return hi, lo, float(v - mpf(hi) - mpf(lo))


def literal(v):
    return "{" + ", ".join(part.hex() for part in split(v)) + "}"


def gelu_tanh_grad(x):
    k, c = sqrt(2 / pi), mpf("0.044715")
    t = tanh(k * (x + c * x**3))
    return (1 + t) / 2 + x / 2 * (1 - t * t) * k * (1 + 3 * c * x * x)


def mish_grad(x):
    t = tanh(log(1 + exp(x)))
    return t + x * (1 - t * t) / (1 + exp(-x))


ROOTS = [
    ("kSiluGrad", lambda t: 1 + t + exp(t), -1.28),
    ("kMishGrad", mish_grad, -1.19),
    ("kGeluGrad", lambda x: erfc(-x / sqrt(2)) / 2 + x * exp(-x * x / 2) / sqrt(2 * pi), -0.75),
    ("kGeluTanhGrad", gelu_tanh_grad, -0.75),
]

for name, f, guess in ROOTS:
    print(f"inline constexpr Root {name} = {literal(findroot(f, guess))};")

# e^v at the tanh form's root, v = 2 sqrt(2/pi) (r + 0.044715 r^3): rounded once, where
# -(1 + r v'(r)) would lose two bits to cancellation.
r = findroot(gelu_tanh_grad, -0.75)
gate = exp(2 * sqrt(2 / pi) * (r + mpf("0.044715") * r**3))
print(f"inline constexpr double kGeluTanhGradExpV = {float(gate).hex()};")

# The positive roots of tan x = x (sinc') below 1024, one in each ((k + 1/2) pi - 0.22, (k + 1/2) pi)
# for k = 1..325; beyond them the kernel needs none (it writes sinc' through atan(1/x)).
print("inline constexpr Root kSincGradRoots[] = {")
for k in range(1, 326):
    q = (k + mpf(1) / 2) * pi
    print(f"    {literal(findroot(lambda x: tan(x) - x, q - 1 / q))},")
print("};")
