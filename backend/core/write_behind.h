// Write-behind for long append-only files (the journal): past keep_cached bytes, each window the
// file completes is handed to the disk (Linux: sync_file_range) and the window release_lag behind
// its end, written by then, leaves the page cache (posix_fadvise DONTNEED).
//
// Why: a 100 M-bar benchmark run writes a journal of ~3.5 GB. Left in the page cache it pushes out
// whatever else the machine had cached, and on a virtual machine whose host takes back the
// guest's free memory (this project's Firecracker VM) every new page costs ~10x a page just
// released: `dd` of 2.4 GB took 7.6 s of kernel time into such memory, 0.7 s into memory just
// freed. Released windows are reused by the next ones. The file's bytes are the same; only what
// stays cached differs, and a typical run's journal (under keep_cached) is left as written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace st {

struct WriteBehindSettings {
  std::uint64_t keep_cached = 512ull << 20;  // the file's first bytes stay cached as written
  std::uint64_t window = 16ull << 20;        // written back this much at a time, from a multiple of it
  std::uint64_t release_lag = 64ull << 20;   // released this far behind the end
  bool enabled = true;
};

class WriteBehind {
 public:
  explicit WriteBehind(std::string path, WriteBehindSettings settings = {});
  // The file behind fd was appended to and now ends at `end`; `begin` is where the appends started
  // (read on the first call only: the kept part starts there). Throws st::Error naming the path
  // when the disk refuses the data (EIO, ENOSPC, EDQUOT); a file system without these calls (or a
  // pipe) turns write-behind off and keeps its pages cached.
  void appended(int fd, off_t begin, off_t end);
  // Bytes written back and released so far.
  std::uint64_t released_bytes() const { return static_cast<std::uint64_t>(released_ - from_); }
  bool enabled() const { return settings_.enabled; }

 private:
  void advance(int fd, off_t end);
  std::string path_;
  WriteBehindSettings settings_;
  bool started_ = false;
  off_t from_ = 0;      // the first window: a multiple of window at or after begin + keep_cached
  off_t written_ = 0;   // windows before this offset are being written back
  off_t released_ = 0;  // and before this one released
};

}  // namespace st
