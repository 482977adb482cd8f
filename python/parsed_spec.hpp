// sigma::Activation::parse behind a cache, for the bindings (the numpy module and the PyTorch
// operators): parsing a spec costs about what a kernel costs on a small array, and a program
// sends the same few specs again and again. Bounded, since specs come from users. Throws
// sigma::Error as parse does.
#pragma once

#include <mutex>
#include <sigma/activation.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sigma_bindings {

inline sigma::Activation parsed(std::string_view spec) {
  static std::mutex mutex;
  static std::unordered_map<std::string, sigma::Activation> cache;
  std::string key(spec);
  {
    const std::lock_guard lock(mutex);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const sigma::Activation act = sigma::Activation::parse(key);
  const std::lock_guard lock(mutex);
  if (cache.size() >= 256) cache.clear();
  cache.emplace(std::move(key), act);
  return act;
}

}  // namespace sigma_bindings
