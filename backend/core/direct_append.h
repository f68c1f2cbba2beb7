// Direct appends for long append-only files (the backtest journal): whole blocks go from the
// caller's buffer to the disk without the page cache (O_DIRECT), each in flight while the caller
// fills its next buffer (Linux asynchronous I/O, one write at a time, so the file grows in order).
//
// Why: through the page cache each byte costs ~0.2 ns of kernel time to copy into memory that was
// just freed, and ~2.5 ns (measured with `dd` here: 2.6 s for 1 GB) when the virtual machine's
// host has taken that memory back. A direct write costs ~0.05 ns a byte in 1 MiB blocks, and
// the page cache is left to the rest of the machine.
//
// The file's size runs ahead of the data (fallocate, kExtendBytes at a time): a write inside the
// file's size is done by the disk while the process goes on; one that extends the file would make
// the process wait for it (ext4). finish() writes the unaligned end and sets the size to the
// data's end. A crash between the two leaves zeros after the last line, which the journal's repair
// cuts off like a torn line.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace st {

class DirectAppend {
 public:
  static constexpr std::size_t kAlign = 4096;  // offsets, lengths and memory of direct writes
  static constexpr off_t kExtendBytes = 64 << 20;

  // Opens `path`, an existing file, for direct writes from `offset` on (a multiple of kAlign;
  // the data before it is the caller's). When the kernel, the file system or a sandbox cannot
  // (no asynchronous I/O, no O_DIRECT), active() is false and why_not() says why: the caller writes
  // through the page cache instead.
  DirectAppend(std::string path, off_t offset);
  ~DirectAppend();  // waits for the write in flight (errors are the last write's caller's to see)
  DirectAppend(const DirectAppend&) = delete;
  DirectAppend& operator=(const DirectAppend&) = delete;

  bool active() const { return active_; }
  const std::string& why_not() const { return why_not_; }
  // Waits for the write in flight, then starts writing data[0, n) at offset(): n a multiple of
  // kAlign, data aligned to kAlign and left untouched until the next submit(), wait() or
  // finish() returns. Throws st::Error naming the path when the disk refuses (EIO, ENOSPC,
  // EDQUOT). Should the file system refuse direct writes after all (EINVAL), the block is written
  // through the page cache and active() turns false.
  void submit(const char* data, std::size_t n);
  // The write in flight is done (the same errors as submit()).
  void wait();
  // Where the next direct write starts: the end of the data written so far.
  off_t offset() const { return offset_; }
  // Waits, writes tail[0, n) at offset() through the page cache (the end that is not a whole
  // block; the next submit() writes it again with what follows) and makes offset() + n the file's
  // size, releasing what was reserved past it. Throws st::Error naming the path.
  void finish(const char* tail, std::size_t n);
  // Blocks submitted so far.
  std::uint64_t writes() const { return writes_; }

 private:
  struct Aio;
  void write_cached(const char* data, std::size_t n, off_t at);
  void fallback_write(const char* data, std::size_t n, off_t at);
  void set_direct(bool on);
  std::string path_;
  std::unique_ptr<Aio> aio_;
  int fd_ = -1;
  bool active_ = false;
  std::string why_not_;
  off_t offset_ = 0;    // the end of the submitted data
  off_t extended_ = 0;  // the file's size as set here
  // The write in flight: the pending_n_ bytes before offset_.
  const char* pending_ = nullptr;
  std::size_t pending_n_ = 0;
  std::uint64_t writes_ = 0;
  bool lost_ = false;  // a write's end could not be waited for: its context is not reused
};

}  // namespace st
