#include "common/threads.hpp"

#include <hwy/cache_control.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <string>
#include <thread>
#include <vector>

namespace sigma {
namespace {

int default_threads() {
  if (const char* env = std::getenv("SIGMA_NUM_THREADS"); env != nullptr && *env != '\0') {
    int n = 0;
    const char* end = env + std::strlen(env);
    const auto [ptr, ec] = std::from_chars(env, end, n);
    if (ec != std::errc() || ptr != end || n < 1) {
      throw Error("SIGMA_NUM_THREADS='" + std::string(env) + "' is not a positive integer");
    }
    return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::atomic<int> requested_threads{0};  // 0: the default

// Spins briefly on `ready` before the caller blocks: back-to-back kernels (a training step, a
// benchmark) then hand work over without a futex wake-up, which costs tens of microseconds on a
// virtual machine, about what a 2^20-element relu takes. 10 us bounds the time a waiting thread
// keeps a core from others.
template <class Ready>
bool spin_until(const Ready& ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(10);
  do {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      hwy::Pause();
    }
  } while (std::chrono::steady_clock::now() < deadline);
  return ready();
}

class Pool {
 public:
  static Pool& instance() {
    static Pool pool;
    return pool;
  }

  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  // Runs chunks 1..chunks-1 on workers and chunk 0 on the caller; false if the pool is busy.
  bool run(std::size_t chunks, const std::function<void(std::size_t)>& chunk_body) {
    std::unique_lock busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    {
      std::lock_guard lock(mutex_);
      while (workers_.size() + 1 < chunks) {
        workers_.emplace_back([this, index = workers_.size() + 1] { work(index); });
      }
      body_ = &chunk_body;
      chunks_ = chunks;
      pending_ = chunks - 1;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    inside_pool = true;
    chunk_body(0);
    inside_pool = false;
    const auto finished = [this] { return pending_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(finished)) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, finished);
    }
    return true;
  }

  static thread_local bool inside_pool;

 private:
  void work(std::size_t index) {
    inside_pool = true;
    std::size_t seen = 0;
    const auto woken = [&] {
      return stopping_.load(std::memory_order_acquire) ||
             generation_.load(std::memory_order_acquire) != seen;
    };
    while (true) {
      if (!spin_until(woken)) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, woken);
      }
      std::size_t chunks;
      const std::function<void(std::size_t)>* body;
      {  // one consistent snapshot of the work, even if the caller has moved on since
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        seen = generation_;
        chunks = chunks_;
        body = body_;
      }
      if (index >= chunks) continue;
      (*body)(index);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);  // so that a caller between its check and its wait hears it
        done_.notify_one();
      }
    }
  }

  std::mutex busy_;  // held by the one caller whose work the pool runs
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  // Written and read under mutex_; generation_ is also read by spinning workers without it.
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t chunks_ = 0;
  std::atomic<std::size_t> pending_{0}, generation_{0};
  std::atomic<bool> stopping_{false};
};

thread_local bool Pool::inside_pool = false;

}  // namespace

void set_num_threads(int n) {
  if (n < 0) throw Error("set_num_threads: " + std::to_string(n) + " is negative");
  requested_threads = n;
}

int num_threads() {
  const int n = requested_threads;
  if (n > 0) return n;
  static const int fallback = default_threads();
  return fallback;
}

namespace detail {

void parallel_for(std::size_t n, std::size_t min_chunk,
                  const std::function<void(std::size_t, std::size_t)>& body) {
  const std::size_t threads = static_cast<std::size_t>(num_threads());
  const std::size_t chunks = std::min(threads, n / std::max<std::size_t>(min_chunk, 1));
  if (chunks <= 1 || Pool::inside_pool) {
    if (n > 0) body(0, n);
    return;
  }
  const std::size_t per_chunk = (n + chunks - 1) / chunks;
  const std::function<void(std::size_t)> chunk_body = [&](std::size_t c) {
    const std::size_t begin = std::min(n, c * per_chunk);
    const std::size_t end = std::min(n, begin + per_chunk);
    if (begin < end) body(begin, end);
  };
  if (!Pool::instance().run(chunks, chunk_body)) body(0, n);
}

}  // namespace detail
}  // namespace sigma
