#include "common/threads.hpp"

#include <hwy/cache_control.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace sigma {
namespace {

using detail::kMaxThreads;

int default_threads() {
  if (const char* env = std::getenv("SIGMA_NUM_THREADS"); env != nullptr && *env != '\0') {
    const std::string_view text(env);
    const bool digits = std::all_of(text.begin(), text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    long long n = 0;
    if (digits) {
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc::result_out_of_range) n = kMaxThreads;  // clamped below all the same
    }
    if (!digits || n < 1) {
      throw Error("SIGMA_NUM_THREADS='" + std::string(text) + "' is not a positive integer");
    }
    return static_cast<int>(std::min<long long>(n, kMaxThreads));
  }
  return static_cast<int>(
      std::clamp(std::thread::hardware_concurrency(), 1u, static_cast<unsigned>(kMaxThreads)));
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

// Workers have a slot each, so that a call wakes only the ones it uses; a worker idle for
// kIdleWorkerLifetime exits, and the next call that posts to its slot starts it again.
class Pool {
 public:
  static Pool& instance() {
    static Pool pool;
    return pool;
  }

  Pool() {
    for (int i = 1; i < kMaxThreads; ++i) workers_.push_back(std::make_unique<Worker>());
  }

  ~Pool() {
    stopping_.store(true, std::memory_order_release);
    for (auto& w : workers_) {
      { std::lock_guard lock(w->mutex); }  // a worker between its check and its wait hears it
      w->wake.notify_one();
    }
    for (auto& w : workers_) {
      if (w->thread.joinable()) w->thread.join();
    }
  }

  // Runs chunk_body(0 .. chunks-1): chunk 0 on the caller, chunk i on worker slot i - 1, and
  // returns once all have finished, rethrowing the first exception a chunk threw. False (nothing
  // run) if the pool is busy with another caller's work.
  bool run(std::size_t chunks, const std::function<void(std::size_t)>& chunk_body) {
    std::unique_lock busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    // Set for the whole call: a nested parallel_for in any chunk the caller runs goes inline.
    inside_pool = true;
    const struct Leave {
      ~Leave() { inside_pool = false; }
    } leave;
    chunks = std::min(chunks, workers_.size() + 1);
    body_ = &chunk_body;
    error_ = nullptr;
    pending_.store(chunks - 1, std::memory_order_relaxed);
    ++generation_;
    for (std::size_t c = 1; c < chunks; ++c) {
      if (!post(*workers_[c - 1], c)) {  // no thread to be had: the caller runs the chunk
        run_chunk(c);
        pending_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
    run_chunk(0);
    const auto finished = [this] { return pending_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(finished)) {
      std::unique_lock lock(done_mutex_);
      done_.wait(lock, finished);
    }
    std::lock_guard lock(error_mutex_);
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return true;
  }

  std::size_t live_workers() {
    std::size_t live = 0;
    for (auto& w : workers_) {
      std::lock_guard lock(w->mutex);
      live += w->running ? 1 : 0;
    }
    return live;
  }

  static thread_local bool inside_pool;

 private:
  struct Worker {
    std::mutex mutex;
    std::condition_variable wake;
    std::atomic<std::uint64_t> posted{0};  // the generation of the last work posted here
    bool running = false;                  // under mutex: a thread serves this slot
    std::thread thread;                    // touched only by the caller holding busy_
  };

  // Posts the current work to `w`, starting its thread if it has none; false if none can start.
  bool post(Worker& w, std::size_t chunk) {
    bool running = false;
    {
      std::lock_guard lock(w.mutex);  // so that a worker deciding to exit sees the post
      w.posted.store(generation_, std::memory_order_release);
      running = w.running;
      w.running = true;
    }
    if (running) {
      w.wake.notify_one();
      return true;
    }
    if (w.thread.joinable()) w.thread.join();  // it has exited, or is returning
    try {
      w.thread = std::thread([this, &w, chunk] { work(w, chunk); });
      return true;
    } catch (const std::system_error&) {
      std::lock_guard lock(w.mutex);
      w.running = false;
      return false;
    }
  }

  void run_chunk(std::size_t chunk) {
    try {
      (*body_)(chunk);
    } catch (...) {
      std::lock_guard lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void work(Worker& w, std::size_t chunk) {
    inside_pool = true;
    std::uint64_t seen = 0;  // below every generation posted, so the work that started it runs
    const auto woken = [&] {
      return stopping_.load(std::memory_order_acquire) ||
             w.posted.load(std::memory_order_acquire) != seen;
    };
    while (true) {
      if (!spin_until(woken)) {
        std::unique_lock lock(w.mutex);
        if (!w.wake.wait_for(lock, detail::kIdleWorkerLifetime, woken)) {
          w.running = false;
          return;
        }
      }
      if (stopping_.load(std::memory_order_acquire)) return;
      seen = w.posted.load(std::memory_order_acquire);
      run_chunk(chunk);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(
            done_mutex_);  // so that a caller between its check and its wait hears it
        done_.notify_one();
      }
    }
  }

  std::mutex busy_;                               // held by the one caller whose work the pool runs
  std::vector<std::unique_ptr<Worker>> workers_;  // kMaxThreads - 1 slots, made once
  // Written by the caller before it posts; read by the workers it posted to.
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::uint64_t generation_ = 0;
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> stopping_{false};
  std::mutex done_mutex_;
  std::condition_variable done_;
  std::mutex error_mutex_;
  std::exception_ptr error_;  // the first exception a chunk of the current work threw
};

thread_local bool Pool::inside_pool = false;

}  // namespace

void set_num_threads(int n) {
  if (n < 0) throw Error("set_num_threads: " + std::to_string(n) + " is negative");
  requested_threads = n;
}

int num_threads() {
  const int n = requested_threads;
  if (n > 0) return std::min(n, kMaxThreads);
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
  // Chunks of n / chunks, the first n % chunks of them one longer: each at least min_chunk long,
  // since chunks <= n / min_chunk.
  const std::size_t base = n / chunks, longer = n % chunks;
  const std::function<void(std::size_t)> chunk_body = [&](std::size_t c) {
    const std::size_t begin = c * base + std::min(c, longer);
    body(begin, begin + base + (c < longer ? 1 : 0));
  };
  if (!Pool::instance().run(chunks, chunk_body)) body(0, n);
}

std::size_t live_pool_workers() { return Pool::instance().live_workers(); }

}  // namespace detail
}  // namespace sigma
