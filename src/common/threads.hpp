// A small persistent thread pool for splitting elementwise work across cores.
#pragma once

#include <cstddef>
#include <functional>

namespace sigma::detail {

// Calls body(begin, end) on contiguous chunks covering [0, n), each at least min_chunk long, on
// up to num_threads() threads (the caller's included). Runs inline when n is small, when called
// from inside another parallel_for, or while the pool is busy with another caller's work, so that
// nothing oversubscribes the cores.
void parallel_for(std::size_t n, std::size_t min_chunk,
                  const std::function<void(std::size_t, std::size_t)>& body);

}  // namespace sigma::detail
