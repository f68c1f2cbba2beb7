#include "backend/core/write_behind.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "backend/core/diagnostics.h"

namespace st {

WriteBehind::WriteBehind(std::string path, WriteBehindSettings settings)
    : path_(std::move(path)), settings_(settings) {
  // A window smaller than a page would release nothing.
  if (settings_.window < 4096) settings_.enabled = false;
}

void WriteBehind::appended(int fd, off_t begin, off_t end) {
  if (!settings_.enabled) return;
  const auto window = static_cast<off_t>(settings_.window);
  if (!started_) {
    // Windows at multiples of their size: a large folio (up to 2 MB) straddling two windows
    // would stay cached (posix_fadvise releases whole folios only).
    started_ = true;
    from_ = written_ = released_ = (begin + static_cast<off_t>(settings_.keep_cached) + window - 1) / window * window;
  }
  if (end >= written_ + window) advance(fd, end);
}

void WriteBehind::advance(int fd, off_t end) {
#ifdef __linux__
  const auto window = static_cast<off_t>(settings_.window);
  const auto failed = [&](int error, const char* what) {
    if (error == EIO || error == ENOSPC || error == EDQUOT)
      throw Error(fmt::format("{}: cannot write ({}): {}", path_, what, std::strerror(error)));
    settings_.enabled = false;
  };
  for (; end >= written_ + window; written_ += window)
    if (::sync_file_range(fd, written_, window, SYNC_FILE_RANGE_WRITE) != 0) return failed(errno, "write-behind");
  for (; written_ - released_ > static_cast<off_t>(settings_.release_lag); released_ += window) {
    // Written back long ago as a rule; waits only when the disk is slower than the run.
    if (::sync_file_range(fd, released_, window,
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
      return failed(errno, "write-behind");
    if (const int e = ::posix_fadvise(fd, released_, window, POSIX_FADV_DONTNEED); e != 0)
      return failed(e, "releasing written pages");
  }
#else
  (void)fd;
  (void)end;
  settings_.enabled = false;
#endif
}

}  // namespace st
