// The constants that define some activations, written once for the catalog, the references and
// the kernels. Long double where the reference computes in it; kernels round them to double.
#pragma once

namespace sigma::constants {

// SELU (Klambauer et al. 2017): alpha, lambda and their product rounded once, with the product's
// remainder, so that y + lambda alpha keeps its accuracy near saturation.
inline constexpr double kSeluAlpha = 1.6732632423543772;
inline constexpr double kSeluLambda = 1.0507009873554805;
inline constexpr double kSeluLambdaAlpha = 1.7580993408473768;
inline constexpr double kSeluLambdaAlphaLow = 0x1.05161b045a1fep-56;

// LeCun's scaled tanh (Efficient BackProp, 1998): 1.7159 tanh(2x/3).
inline constexpr long double kLecunScale = 1.7159L;

// The cubic coefficient of GELU's tanh approximation (Hendrycks and Gimpel 2016).
inline constexpr long double kGeluTanhCubic = 0.044715L;

}  // namespace sigma::constants
