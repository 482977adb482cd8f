// A small persistent thread pool for splitting elementwise work across cores.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>

namespace sigma::detail {

// The most threads sigma uses, whatever SIGMA_NUM_THREADS or set_num_threads asks for: more would
// cost memory and scheduling without making an elementwise kernel faster on any machine.
inline constexpr int kMaxThreads = 256;

// A worker that waits this long without work exits; the next call that needs it starts it again.
inline constexpr std::chrono::milliseconds kIdleWorkerLifetime{2000};

// Below this many elements per thread, waking another thread costs more than it saves (for the
// layers: softmax, GLU, maxout, losses, dropout; the activations' own kernels set theirs).
inline constexpr std::size_t kMinChunkElements = std::size_t{1} << 15;

// The fewest units (rows, blocks) of unit_elements elements each to give one thread: at least
// kMinChunkElements' worth, and at least one.
inline std::size_t min_units_per_chunk(std::size_t unit_elements) {
  return std::max<std::size_t>(1, kMinChunkElements / std::max<std::size_t>(unit_elements, 1));
}

// Calls body(begin, end) on contiguous chunks covering [0, n), each at least min_chunk long, on
// up to num_threads() threads (the caller's included). Runs inline when n is small, when called
// from inside another parallel_for, or while the pool is busy with another caller's work, so that
// nothing oversubscribes the cores. Only the workers a call uses are woken. If a chunk throws,
// the first exception is rethrown to the caller once every chunk has finished, so nothing touches
// the caller's data after parallel_for returns.
void parallel_for(std::size_t n, std::size_t min_chunk,
                  const std::function<void(std::size_t, std::size_t)>& body);

// Worker threads alive now (not counting callers); for tests.
std::size_t live_pool_workers();

}  // namespace sigma::detail
