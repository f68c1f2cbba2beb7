#include "backend/core/direct_append.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/aio_abi.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "backend/core/atomic_file.h"
#include "backend/core/diagnostics.h"

namespace st {

// Linux's own asynchronous I/O (io_submit), by its system calls: a process that dies with a write
// in flight ends only once the write is done (exit_aio waits for it), so a run resumed after a
// crash never reads the file while its last block is still landing. (io_uring lets the process go
// first.)
struct DirectAppend::Aio {
  aio_context_t context = 0;
  iocb request{};
};

namespace {
long io_setup(unsigned n, aio_context_t* context) { return ::syscall(SYS_io_setup, n, context); }
long io_submit(aio_context_t context, long n, iocb** requests) { return ::syscall(SYS_io_submit, context, n, requests); }
long io_getevents(aio_context_t context, long min, long max, io_event* events) {
  return ::syscall(SYS_io_getevents, context, min, max, events, nullptr);
}

// Contexts are kept for the next file instead of destroyed: io_destroy waits for an RCU grace
// period (~30 ms here), which the sweep's 64 runs paid one after another (2.5 s of an 8 s pass).
// Whatever is left at exit the kernel destroys after its writes (exit_aio). One context per
// journal open at a time, shared by the threads.
class ContextPool {
 public:
  bool take(aio_context_t& context) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        context = free_.back();
        free_.pop_back();
        return true;
      }
    }
    context = 0;
    return io_setup(2, &context) == 0;
  }
  void give(aio_context_t context) {
    const std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(context);
  }

 private:
  std::mutex mutex_;
  std::vector<aio_context_t> free_;
};
ContextPool& contexts() {
  static auto* pool = new ContextPool;  // never destroyed: threads may end after main
  return *pool;
}
}  // namespace

DirectAppend::DirectAppend(std::string path, off_t offset) : path_(std::move(path)), offset_(offset) {
  if (offset % static_cast<off_t>(kAlign) != 0) {
    why_not_ = "the file does not end at a block boundary";
    return;
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  if (fd_ < 0) {
    why_not_ = fmt::format("no direct writes here: {}", std::strerror(errno));
    return;
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    why_not_ = "not a regular file";
    ::close(fd_);
    fd_ = -1;
    return;
  }
  extended_ = std::max(st.st_size, offset);
  auto aio = std::make_unique<Aio>();
  if (!contexts().take(aio->context)) {
    why_not_ = fmt::format("no asynchronous I/O here: {}", std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    return;
  }
  aio_ = std::move(aio);
  active_ = true;
}

DirectAppend::~DirectAppend() {
  try {
    wait();
  } catch (...) {
    // The caller saw the data as given; a disk error here is reported by the next open's repair.
  }
  // A context whose write may still be in flight (the wait itself failed) is not reused.
  if (aio_ && !lost_) contexts().give(aio_->context);
  if (fd_ >= 0) ::close(fd_);
}

void DirectAppend::set_direct(bool on) {
  if (const int flags = ::fcntl(fd_, F_GETFL); flags >= 0 && ((flags & O_DIRECT) != 0) != on)
    ::fcntl(fd_, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT);
}

// Through the page cache: unaligned lengths and offsets are fine there.
void DirectAppend::write_cached(const char* data, std::size_t n, off_t at) {
  set_direct(false);
  if (const int err = write_fully(fd_, {data, n}, at); err != 0)
    throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(err)));
}

// Direct writes are over for this file: this block and the rest go through the page cache.
void DirectAppend::fallback_write(const char* data, std::size_t n, off_t at) {
  active_ = false;
  write_cached(data, n, at);
}

void DirectAppend::wait() {
  if (pending_ == nullptr) return;
  const char* data = pending_;
  const off_t at = offset_ - static_cast<off_t>(pending_n_);
  pending_ = nullptr;
  io_event event{};
  long got = 0;
  do got = io_getevents(aio_->context, 1, 1, &event);
  while (got < 0 && errno == EINTR);
  lost_ = got != 1;
  const long long res = got == 1 ? static_cast<long long>(event.res) : -static_cast<long long>(got < 0 ? errno : EIO);
  if (res < 0) {
    const int error = static_cast<int>(-res);
    if (error == EIO || error == ENOSPC || error == EDQUOT)
      throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(error)));
    // Direct writes refused after all (EINVAL: the device wants another alignment): this block
    // and the rest go through the page cache.
    why_not_ = fmt::format("direct write refused: {}", std::strerror(error));
    fallback_write(data, pending_n_, at);
    return;
  }
  if (static_cast<std::size_t>(res) < pending_n_)  // a short write: the rest through the page cache
    fallback_write(data + res, pending_n_ - static_cast<std::size_t>(res), at + res);
}

void DirectAppend::submit(const char* data, std::size_t n) {
  wait();
  const off_t end = offset_ + static_cast<off_t>(n);
  if (!active_) {
    fallback_write(data, n, offset_);
    offset_ = end;
    return;
  }
  if (end > extended_) {
    off_t to = std::max(end, extended_ + kExtendBytes);
    int failed = ::fallocate(fd_, 0, extended_, to - extended_);
    if (failed != 0 && (errno == ENOSPC || errno == EDQUOT) && to > end) {
      to = end;  // a nearly full disk: no reserve ahead, only the space this block needs
      failed = ::fallocate(fd_, 0, extended_, to - extended_);
    }
    if (failed != 0) {
      const int error = errno;
      if (error == ENOSPC || error == EDQUOT || error == EIO)
        throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(error)));
      // No fallocate here: a sparse size does as well (the kernel allocates at the write).
      if (::ftruncate(fd_, to) != 0)
        throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
    }
    extended_ = to;
  }
  iocb& r = aio_->request;  // free: nothing is in flight
  r = iocb{};
  r.aio_fildes = static_cast<__u32>(fd_);
  r.aio_lio_opcode = IOCB_CMD_PWRITE;
  r.aio_buf = reinterpret_cast<__u64>(data);
  r.aio_nbytes = n;
  r.aio_offset = offset_;
  iocb* requests[1] = {&r};
  long sent = 0;
  do sent = io_submit(aio_->context, 1, requests);
  while (sent < 0 && errno == EINTR);
  if (sent != 1) {
    why_not_ = fmt::format("the write was refused: {}", std::strerror(sent < 0 ? errno : EAGAIN));
    fallback_write(data, n, offset_);
    offset_ = end;
    return;
  }
  pending_ = data;
  pending_n_ = n;
  offset_ = end;
  ++writes_;
}

void DirectAppend::finish(const char* tail, std::size_t n) {
  wait();
  if (n > 0) {
    write_cached(tail, n, offset_);
    if (active_) set_direct(true);
  }
  const off_t end = offset_ + static_cast<off_t>(n);
  if (end != extended_ && ::ftruncate(fd_, end) != 0)
    throw Error(fmt::format("{}: cannot set the file's size: {}", path_, std::strerror(errno)));
  extended_ = end;
}

}  // namespace st
