// Uses sigma::nn: the initialisation a network picks (network.cpp, on OpenBLAS) and the IDX
// reader's look for a data set (idx.cpp, with zlib).
#include <cstdio>
#include <sigma/nn.hpp>
#include <string>

int main() {
  const sigma::nn::Init init = sigma::nn::default_init(sigma::Activation::parse("relu"));
  const bool found = sigma::nn::has_mnist_files("/nonexistent-sigma-consumer");
  const auto data = sigma::nn::synthetic_dataset(20, 10);
  std::printf("nn: relu init %s, data %zu+%zu of %zu features, mnist %s\n",
              std::string(sigma::nn::init_name(init)).c_str(), data.train.size(), data.test.size(),
              data.train.features, found ? "found" : "absent");
  return found ? 1 : 0;
}
