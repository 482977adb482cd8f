// load_network on any bytes: a network or sigma::Error, within the fuzzer's memory and time
// limits. The trailing CRC-32 is recomputed first, so mutations reach the parser behind it.
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <vector>

#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (bytes.size() >= 4) {
    const auto crc =
        static_cast<std::uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(bytes.size() - 4)));
    std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);  // little-endian, as the writer's
  }
  const sigma::fuzz::InputFile file(bytes.data(), bytes.size());
  try {
    sigma::nn::load_network(file.path());
  } catch (const sigma::Error&) {
  }
  return 0;
}
