// A fixed fork-join pool for PARALLEL operators. run(n, fn) calls fn(0..n-1), spread over the
// threads, and returns when all are done. With one thread it runs inline on the caller.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace st {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  // REQUIRES: not called concurrently. fn must not throw (wrap plugin calls).
  void run(std::size_t n, const std::function<void(std::size_t)>& fn);

 private:
  void loop();
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t n_ = 0, next_ = 0, done_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace st
