// read_idx on any bytes, plain or gzip: it returns an array or throws sigma::Error, within the
// fuzzer's memory and time limits.
#include <cstdint>
#include <sigma/error.hpp>
#include <sigma/idx.hpp>

#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sigma::fuzz::InputFile file(data, size);
  try {
    sigma::nn::read_idx(file.path());
  } catch (const sigma::Error&) {
  }
  return 0;
}
