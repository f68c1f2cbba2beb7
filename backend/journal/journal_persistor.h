// Where journal lines go (IJournalPersistor, DESIGN §8). The journal is append-only JSON Lines;
// a persistor only appends whole lines and flushes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <sys/types.h>
#include <string>
#include <string_view>
#include <vector>

#include "backend/core/direct_append.h"
#include "backend/core/write_behind.h"
#include "backend/journal/line.h"

namespace st {

class IJournalPersistor {
 public:
  virtual ~IJournalPersistor() = default;
  // One complete line, including its '\n'.
  virtual void append(std::string_view line) = 0;
  // Everything appended so far reaches the file (and, for kEveryEntry, the disk).
  virtual void flush() = 0;
  // A persistor may let the journal build its next line in place, at the end of the persistor's
  // own buffer (no copy per line): line_in_place() returns that buffer with whatever followed
  // the last committed line dropped (an entry left unfinished), and commit_in_place() says that
  // the buffer now ends with one more complete line. nullptr: lines come through append().
  virtual journal::Line* line_in_place() { return nullptr; }
  virtual void commit_in_place() {}
};

// kBatched: buffered, flushed when the buffer fills and at flush() — for backtests, where a
// crash loses the run anyway. kEveryEntry: each line is written and fsync'ed before append()
// returns — for paper and live, where the journal is the record of what happened.
enum class SyncPolicy { kBatched, kEveryEntry };

// What a crash leaves at the end of a journal: at most a torn last line (the process died inside
// a write). repair_journal_tail cuts it off, so that the file is again whole lines only.
struct JournalRepair {
  std::uint64_t bytes_removed = 0;  // 0: the journal was whole
  std::string warning;              // "FILE: removed a torn last line (N bytes): ..." when repaired
};
// Throws st::Error naming the path when the file cannot be read or truncated. A missing file is
// not an error (nothing to repair).
JournalRepair repair_journal_tail(const std::string& path);

enum class JournalOpen {
  kCreate,  // a new journal (truncates an old one)
  kAppend,  // continue a journal (paper/live restart); a torn tail is repaired first
  // Resume a killed deterministic run: the tail is repaired, then every appended line is compared
  // with the line already on disk at that position (a difference means config, data or plugins
  // changed since: st::Error naming the line); once the old lines are used up, lines are appended.
  kResume,
};

struct JournalFileOptions {
  // A new kBatched journal goes to the disk in whole blocks without the page cache where the
  // system allows (DirectAppend, backend/core/direct_append.h); its unaligned end is written
  // through the page cache at each flush.
  bool direct = true;
  // Otherwise, a kBatched journal past its first 512 MiB is written back as it grows and its pages
  // leave the page cache 64 MiB behind its end (WriteBehind, backend/core/write_behind.h).
  WriteBehindSettings write_behind;
};

// kEveryEntry syncs every line itself (neither of the options above).
class FileJournalPersistor final : public IJournalPersistor {
 public:
  // Throws st::Error naming the path when the file cannot be opened.
  FileJournalPersistor(std::string path, SyncPolicy policy, JournalOpen open = JournalOpen::kCreate,
                       JournalFileOptions options = {});
  ~FileJournalPersistor() override;
  FileJournalPersistor(const FileJournalPersistor&) = delete;
  FileJournalPersistor& operator=(const FileJournalPersistor&) = delete;

  void append(std::string_view line) override;
  void flush() override;
  // In place except while kResume verifies old lines (those go through append).
  journal::Line* line_in_place() override {
    if (existing_ != nullptr) return nullptr;
    buffer_.truncate(committed_);
    return &buffer_;
  }
  void commit_in_place() override {
    committed_ = buffer_.size();
    if (policy_ == SyncPolicy::kEveryEntry || committed_ >= kBufferBytes) line_done();
  }
  // Written and fsync'ed, whatever the policy (checkpoints).
  void sync();
  const std::string& path() const { return path_; }
  const JournalRepair& repair() const { return repair_; }
  // Times the buffered lines were written to the file so far (benchmarks time those bars apart).
  std::uint64_t writes() const { return writes_; }
  // Bytes of the file written back and released from the page cache (WriteBehind).
  std::uint64_t released_bytes() const { return behind_.released_bytes(); }
  // Whether lines go to the disk without the page cache (DirectAppend), and if not, why not.
  bool direct() const { return direct_ != nullptr && direct_->active(); }
  const std::string& why_not_direct() const { return why_not_direct_; }
  // kResume: lines found identical on disk so far, and whether old lines remain to be checked.
  std::uint64_t verified_lines() const { return verified_; }
  bool verifying() const { return existing_ != nullptr; }
  // kResume, at the end of the run: whether the old journal has lines the run did not write.
  bool old_lines_remain();

 private:
  // Lines are written when kBufferBytes of them are buffered (kBatched) or one by one (kEveryEntry).
  static constexpr std::size_t kBufferBytes = 1 << 20;
  void line_done();  // what a committed line leads to: written, fsync'ed per the policy
  // Writes the committed lines; bytes after them (an entry being built) stay in the buffer.
  // `all`: every committed byte reaches the file (a flush); otherwise a direct journal may keep
  // the lines past its last whole block for the next write.
  void write_out(bool all = true);
  void write_direct(bool all);
  void leave_direct();  // DirectAppend gave up: the page cache from where it stopped
  // Disk space for the journal is reserved ahead of its end, kReserveBytes at a time (fallocate,
  // keeping the file's size): on ext4 a write into reserved space skips the block reservation it
  // otherwise makes page by page, ~40 % of the kernel's time for a journal (83 MB: 17.4 ->
  // 10.6 ms). The file's size stays that of the lines written, so a crash leaves no padding in
  // it; closing releases what was reserved past the end.
  void reserve_for(std::size_t bytes);
  void release_reserve();
  WriteBehind behind_;
  std::unique_ptr<DirectAppend> direct_;
  std::string why_not_direct_;
  journal::Line spare_;  // direct: the buffer the disk is writing from while lines go to buffer_
  off_t size_ = -1;  // the file's size after the last write; -1 before the first
  bool reserving_ = true;
  off_t reserved_ = -1;  // the reserve's end; -1 before the first write
  bool verify(std::string_view line);  // true: the line was on disk already
  std::string path_;
  SyncPolicy policy_;
  std::FILE* file_ = nullptr;
  std::FILE* existing_ = nullptr;  // kResume: the old lines, read while verifying
  journal::Line buffer_;
  std::size_t committed_ = 0;  // buffer_'s bytes up to the end of the last complete line
  std::string old_line_;
  JournalRepair repair_;
  std::uint64_t verified_ = 0;
  std::uint64_t writes_ = 0;
};

// In memory (tests, and runs that only want the summary).
class MemoryJournalPersistor final : public IJournalPersistor {
 public:
  void append(std::string_view line) override { lines_.emplace_back(line); }
  void flush() override {}
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

}  // namespace st
