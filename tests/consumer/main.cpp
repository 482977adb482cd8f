// Uses the installed sigma through its public header only.
#include <cstdio>
#include <sigma/sigma.hpp>
#include <vector>

int main() {
  const sigma::Activation act = sigma::Activation::parse("gelu:approximate=tanh");
  const std::vector<float> x = {-1.0f, 0.0f, 1.0f};
  std::vector<float> y(x.size());
  act.forward(x, y);
  std::printf("%s %s %.6f %.6f %.6f\n", SIGMA_VERSION_STRING, act.spec().c_str(), y[0], y[1], y[2]);
  try {
    sigma::Activation::parse("no_such_function");
  } catch (const sigma::Error& e) {
    return sigma::catalog().size() > 40 ? 0 : 1;
  }
  return 1;
}
