// The training-log reader of sigma report on any bytes: records or sigma::Error.
#include <cstdint>
#include <sigma/error.hpp>

#include "input_file.hpp"
#include "training_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sigma::fuzz::InputFile file(data, size);
  try {
    sigma::cli::ReadTrainingLog(file.path());
  } catch (const sigma::Error&) {
  }
  return 0;
}
