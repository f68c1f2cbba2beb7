#include "services/operators/thread_pool.h"

namespace st {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (workers_.empty() || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::unique_lock lock(mu_);
  task_ = &fn;
  n_ = n;
  next_ = 0;
  done_ = 0;
  ++generation_;
  start_cv_.notify_all();
  // The caller works too.
  while (next_ < n_) {
    const std::size_t i = next_++;
    lock.unlock();
    fn(i);
    lock.lock();
    ++done_;
  }
  done_cv_.wait(lock, [this] { return done_ == n_; });
  task_ = nullptr;
}

void ThreadPool::loop() {
  std::uint64_t seen = 0;
  std::unique_lock lock(mu_);
  for (;;) {
    start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    while (task_ != nullptr && next_ < n_) {
      const std::size_t i = next_++;
      const auto* task = task_;
      lock.unlock();
      (*task)(i);
      lock.lock();
      if (++done_ == n_) done_cv_.notify_all();
    }
  }
}

}  // namespace st
