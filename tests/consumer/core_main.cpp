// Uses only sigma::core: an activation, softmax and a loss, through their own headers.
#include <cstdio>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <sigma/losses.hpp>
#include <sigma/softmax.hpp>
#include <vector>

int main() {
  const sigma::Activation act = sigma::Activation::parse("gelu:approximate=tanh");
  const std::vector<float> x = {-1.0f, 0.0f, 1.0f};
  std::vector<float> y(x.size());
  act.forward(x, y);
  // softmax(0, log 3) = (1/4, 3/4); the squared error of (0, 1) against it, averaged.
  const std::vector<double> logits = {0.0, 1.0986122886681098};
  std::vector<double> probabilities(2), loss(1);
  sigma::softmax(logits, probabilities);
  const std::vector<double> labels = {0.0, 1.0};
  sigma::mean_squared_error(labels, probabilities, loss, {}, sigma::Reduction::kMean);
  std::printf("%s %.6f %.6f %.6f softmax %.4f %.4f mse %.5f\n", act.spec().c_str(), y[0], y[1],
              y[2], probabilities[0], probabilities[1], loss[0]);
  try {
    sigma::Activation::parse("no_such_function");
  } catch (const sigma::Error&) {
    return 0;
  }
  return 1;
}
