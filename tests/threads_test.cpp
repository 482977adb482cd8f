// The thread pool behind sigma's array functions: every index covered once, a bound on threads,
// exceptions brought back to the caller, idle workers that exit.
#include "common/threads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "error_of.hpp"

namespace sigma {
namespace {

using detail::kMaxThreads;
using detail::parallel_for;

// Threads of this process, from the kernel's count.
int process_threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Restores the default thread count however a test ends.
struct ThreadCount {
  explicit ThreadCount(int n) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(0); }
};

TEST(ThreadPool, CoversEveryIndexOnceInContiguousChunks) {
  for (int threads : {1, 2, 3, 4, 7, 16, 64}) {
    const ThreadCount count(threads);
    for (std::size_t n : {0, 1, 2, 3, 5, 8, 63, 64, 65, 100, 1000, 4097, 100003}) {
      for (std::size_t min_chunk : {0, 1, 3, 16, 1000}) {
        std::vector<std::atomic<int>> hits(n);
        std::mutex mutex;
        std::vector<std::pair<std::size_t, std::size_t>> chunks;
        parallel_for(n, min_chunk, [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) hits[i].fetch_add(1);
          std::lock_guard lock(mutex);
          chunks.emplace_back(begin, end);
        });
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(hits[i].load(), 1) << "index " << i << " of " << n << " on " << threads;
        }
        ASSERT_LE(chunks.size(), static_cast<std::size_t>(threads));
        std::sort(chunks.begin(), chunks.end());
        std::size_t next = 0;
        for (const auto& [begin, end] : chunks) {
          EXPECT_EQ(begin, next);
          EXPECT_LT(begin, end);
          // Every chunk is at least min_chunk long, unless the whole range is shorter.
          EXPECT_GE(end - begin, std::min(min_chunk, n));
          next = end;
        }
        EXPECT_EQ(next, n);
      }
    }
  }
}

TEST(ThreadPool, UsesSeveralThreadsForLargeWork) {
  const ThreadCount count(4);
  std::mutex mutex;
  std::set<std::thread::id> ids;
  parallel_for(4000, 1000, [&](std::size_t, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // so no thread takes two
    std::lock_guard lock(mutex);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(ids.size(), 4u);
}

TEST(ThreadPool, NestedCallsRunInline) {
  const ThreadCount count(4);
  std::vector<std::atomic<int>> hits(64 * 64);
  parallel_for(64, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t row = begin; row < end; ++row) {
      const auto caller = std::this_thread::get_id();
      parallel_for(64, 1, [&](std::size_t b, std::size_t e) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        for (std::size_t i = b; i < e; ++i) hits[row * 64 + i].fetch_add(1);
      });
    }
  });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ThreadPool, ConcurrentCallersEachGetTheirWorkDone) {
  const ThreadCount count(4);
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        std::vector<int> out(10000, 0);
        parallel_for(out.size(), 100, [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) out[i] += static_cast<int>(i);
        });
        for (std::size_t i = 0; i < out.size(); ++i) {
          if (out[i] != static_cast<int>(i)) wrong.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

// Each chunk in turn throws; the caller gets that exception only after every other chunk has
// run to its end (they sleep first, so a caller that returned early would see them unfinished).
TEST(ThreadPool, AChunkThatThrowsReachesTheCallerAfterTheOthersFinish) {
  const ThreadCount count(4);
  for (std::size_t thrower = 0; thrower < 4; ++thrower) {
    std::atomic<int> finished{0};
    try {
      parallel_for(4, 1, [&](std::size_t begin, std::size_t) {
        if (begin == thrower) throw std::runtime_error("chunk " + std::to_string(begin));
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        finished.fetch_add(1);
      });
      ADD_FAILURE() << "no exception from chunk " << thrower;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "chunk " + std::to_string(thrower));
      EXPECT_EQ(finished.load(), 3) << "parallel_for returned before the other chunks finished";
    }
  }
  // The pool works afterwards.
  std::atomic<std::size_t> sum{0};
  parallel_for(1000, 1, [&](std::size_t begin, std::size_t end) { sum += end - begin; });
  EXPECT_EQ(sum.load(), 1000u);
}

TEST(ThreadPool, EveryChunkThrowingGivesOneException) {
  const ThreadCount count(8);
  EXPECT_THROW(parallel_for(8000, 1, [](std::size_t, std::size_t) { throw Error("bad input"); }),
               Error);
  EXPECT_EQ(
      error_of([] { parallel_for(10, 1, [](std::size_t, std::size_t) { throw Error("x"); }); }),
      "x");
}

TEST(ThreadPool, ThreadCountIsBounded) {
  set_num_threads(100000);
  EXPECT_EQ(num_threads(), kMaxThreads);
  const int before = process_threads();
  std::atomic<std::size_t> sum{0};
  parallel_for(1 << 20, 1, [&](std::size_t begin, std::size_t end) { sum += end - begin; });
  EXPECT_EQ(sum.load(), std::size_t{1} << 20);
  EXPECT_LE(detail::live_pool_workers(), static_cast<std::size_t>(kMaxThreads - 1));
  EXPECT_LE(process_threads(), std::max(before, 1) + kMaxThreads);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
  EXPECT_LE(num_threads(), kMaxThreads);
  EXPECT_THROW(set_num_threads(-1), Error);
}

// After a wide call, the workers that later calls leave idle exit; the ones in use stay.
TEST(ThreadPool, IdleWorkersExit) {
  set_num_threads(64);
  parallel_for(64, 1, [](std::size_t, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  EXPECT_GE(detail::live_pool_workers(), 1u);
  set_num_threads(2);
  const auto until = std::chrono::steady_clock::now() + detail::kIdleWorkerLifetime * 2;
  while (std::chrono::steady_clock::now() < until) {
    parallel_for(2, 1, [](std::size_t, std::size_t) {});
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(detail::live_pool_workers(), 1u);
  set_num_threads(0);
}

// Run by CTest with SIGMA_NUM_THREADS set (tests/CMakeLists.txt), each in a process of its own.
TEST(ThreadsEnvironment, HugeValueIsClamped) { EXPECT_EQ(num_threads(), kMaxThreads); }

TEST(ThreadsEnvironment, InvalidValueIsAClearError) {
  EXPECT_EQ(error_of([] { num_threads(); }), "SIGMA_NUM_THREADS='" +
                                                 std::string(std::getenv("SIGMA_NUM_THREADS")) +
                                                 "' is not a positive integer");
}

}  // namespace
}  // namespace sigma
