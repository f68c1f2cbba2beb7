#include "backend/journal/journal_persistor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "backend/core/diagnostics.h"

namespace st {

namespace {
static_assert(journal::PageAligned<char>::kAlign >= std::align_val_t{DirectAppend::kAlign},
              "the journal's buffer is handed to DirectAppend as it is");

// Disk space is reserved this far ahead of the journal's end (reserve_for).
constexpr off_t kReserveBytes = 8 << 20;

// kEveryEntry syncs every line itself: no write-behind.
WriteBehindSettings batched_only(WriteBehindSettings s, SyncPolicy policy) {
  s.enabled = s.enabled && policy == SyncPolicy::kBatched;
  return s;
}
}  // namespace

JournalRepair repair_journal_tail(const std::string& path) {
  JournalRepair r;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return r;
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  // Find the end of the last whole line, reading backwards, and the end of the data before the
  // zeros a direct journal's reserved space leaves after it (DirectAppend).
  long keep = 0, data_end = -1;
  std::string chunk(64 * 1024, '\0');
  for (long end = size; end > 0 && keep == 0;) {
    const long begin = std::max(0L, end - static_cast<long>(chunk.size()));
    std::fseek(f, begin, SEEK_SET);
    const std::size_t n = std::fread(chunk.data(), 1, static_cast<std::size_t>(end - begin), f);
    for (std::size_t i = n; i > 0; --i) {
      if (data_end < 0 && chunk[i - 1] != '\0') data_end = begin + static_cast<long>(i);
      if (chunk[i - 1] == '\n') {
        keep = begin + static_cast<long>(i);
        break;
      }
    }
    end = begin;
  }
  if (data_end < 0) data_end = 0;
  // The last whole line must itself be an entry: a crash on a file system that extends files
  // before writing their data can leave NUL bytes ending in a newline.
  if (keep > 0) {
    long line_start = 0;
    const long from = std::max(0L, keep - 1 - (1L << 20));
    std::string tail(static_cast<std::size_t>(keep - 1 - from), '\0');
    std::fseek(f, from, SEEK_SET);
    const std::size_t got = std::fread(tail.data(), 1, tail.size(), f);
    tail.resize(got);
    const auto nl = tail.rfind('\n');
    line_start = nl == std::string::npos ? from : from + static_cast<long>(nl) + 1;
    const std::string_view last(tail.data() + (line_start - from), tail.size() - static_cast<std::size_t>(line_start - from));
    const bool entry = !last.empty() && last.front() == '{' && last.back() == '}' &&
                       last.find('\0') == std::string_view::npos;
    if (!entry && (nl != std::string::npos || from == 0)) keep = line_start;
  }
  std::fclose(f);
  if (keep == size) return r;
  r.bytes_removed = static_cast<std::uint64_t>(size - keep);
  if (::truncate(path.c_str(), keep) != 0)
    throw Error(fmt::format("{}: cannot repair the torn end of the journal: {}", path, std::strerror(errno)));
  // Zeros at the very end are space the journal had reserved ahead, not a line.
  const long zeros = data_end >= keep ? size - data_end : 0;
  const std::string what =
      zeros == 0 ? fmt::format("a torn last line ({} bytes)", r.bytes_removed)
      : r.bytes_removed == static_cast<std::uint64_t>(zeros)
          ? fmt::format("{} bytes of reserved space past the last entry", zeros)
          : fmt::format("a torn last line ({} bytes) and {} bytes of reserved space after it", r.bytes_removed - static_cast<std::uint64_t>(zeros), zeros);
  r.warning = fmt::format("{}: warning: removed {} left by a crash; the journal now ends at its last whole entry", path, what);
  return r;
}

FileJournalPersistor::FileJournalPersistor(std::string path, SyncPolicy policy, JournalOpen open,
                                           JournalFileOptions options)
    : behind_(path, batched_only(options.write_behind, policy)), path_(std::move(path)), policy_(policy) {
  if (open != JournalOpen::kCreate) repair_ = repair_journal_tail(path_);
  // Resume verifies the old lines first and opens for appending once they are used up (verify());
  // without an old journal there is nothing to verify and the journal starts anew.
  if (open == JournalOpen::kResume) existing_ = std::fopen(path_.c_str(), "rb");
  if (existing_ == nullptr) {
    file_ = std::fopen(path_.c_str(), open == JournalOpen::kAppend ? "ab" : "wb");
    if (file_ == nullptr) throw Error(fmt::format("{}: cannot open journal: {}", path_, std::strerror(errno)));
  }
  buffer_.reserve(kBufferBytes + 4096);  // a line or two more than the threshold
  if (!options.direct)
    why_not_direct_ = "turned off";
  else if (policy_ != SyncPolicy::kBatched || open != JournalOpen::kCreate)
    why_not_direct_ = "not a new backtest journal";
  else if (direct_ = std::make_unique<DirectAppend>(path_, 0); !direct_->active()) {
    why_not_direct_ = direct_->why_not();
    direct_.reset();
  } else {
    spare_.reserve(kBufferBytes + 4096);
  }
}

bool FileJournalPersistor::verify(std::string_view line) {
  old_line_.clear();
  int ch = 0;
  while ((ch = std::getc(existing_)) != EOF) {
    old_line_.push_back(static_cast<char>(ch));
    if (ch == '\n') break;
  }
  if (old_line_.empty()) {  // every old line is verified: from here on, append
    std::fclose(existing_);
    existing_ = nullptr;
    file_ = std::fopen(path_.c_str(), "ab");
    if (file_ == nullptr) throw Error(fmt::format("{}: cannot open journal: {}", path_, std::strerror(errno)));
    return false;
  }
  if (old_line_ != line) {
    auto cut = [](std::string_view s) {
      if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
      return std::string(s.substr(0, 300)) + (s.size() > 300 ? "..." : "");
    };
    throw Error(fmt::format(
        "{}:{}: cannot resume: the run now writes a different entry here than the run being resumed "
        "(the configuration, the data or a plugin changed since it started)\n  on disk: {}\n  now:     {}",
        path_, verified_ + 1, cut(old_line_), cut(line)));
  }
  ++verified_;
  return true;
}

FileJournalPersistor::~FileJournalPersistor() {
  try {
    write_out();
  } catch (...) {
    // Destructors must not throw; flush() reports errors to callers that ask.
  }
  direct_.reset();  // waits for the write in flight, from spare_
  if (file_ != nullptr) {
    release_reserve();
    std::fclose(file_);
  }
  if (existing_ != nullptr) std::fclose(existing_);
}

void FileJournalPersistor::reserve_for(std::size_t bytes) {
  if (!reserving_) return;
  const int fd = ::fileno(file_);
  if (reserved_ < 0) reserved_ = size_;  // the first write to this file: from its end
  const off_t need = size_ + static_cast<off_t>(bytes);
  if (need > reserved_) {
    const off_t len = std::max(kReserveBytes, need - reserved_);
    // Not supported by the file system, or no space: write without a reserve (a write that
    // then fails says why).
    if (::fallocate(fd, FALLOC_FL_KEEP_SIZE, reserved_, len) != 0) {
      reserving_ = false;
      return;
    }
    reserved_ += len;
  }
}

void FileJournalPersistor::release_reserve() {
  if (reserved_ < 0 || std::fflush(file_) != 0) return;
  // Truncating to the size the file has frees the blocks reserved past its end.
  struct stat st {};
  const int fd = ::fileno(file_);
  // (Should that fail, the reserve only costs disk space.)
  if (::fstat(fd, &st) == 0 && st.st_size < reserved_ && ::ftruncate(fd, st.st_size) != 0) reserving_ = false;
  reserved_ = -1;
}

void FileJournalPersistor::leave_direct() {
  why_not_direct_ = direct_->why_not();
  size_ = direct_->offset();
  direct_->finish(nullptr, 0);
  direct_.reset();
  if (std::fseek(file_, size_, SEEK_SET) != 0)
    throw Error(fmt::format("{}: cannot write journal: {}", path_, std::strerror(errno)));
}

// buffer_ holds the file's bytes from direct_->offset() on. Its whole blocks go to the disk while
// the lines after them move to spare_, which becomes the buffer; at a flush the rest is written
// through the page cache and stays in the buffer, to be written again with the next block.
void FileJournalPersistor::write_direct(bool all) {
  const std::size_t blocks = committed_ / DirectAppend::kAlign * DirectAppend::kAlign;
  if (blocks > 0) {
    direct_->submit(buffer_.data(), blocks);  // waits for spare_'s write first
    ++writes_;
    spare_.clear();
    spare_.append(buffer_.data() + blocks, buffer_.size() - blocks);
    std::swap(buffer_, spare_);
    committed_ -= blocks;
  }
  if (!direct_->active()) return leave_direct();
  if (!all) return;
  direct_->wait();
  if (!direct_->active()) return leave_direct();
  direct_->finish(buffer_.data(), committed_);
}

void FileJournalPersistor::write_out(bool all) {
  if (direct_ != nullptr && file_ != nullptr) {
    write_direct(all);
    if (direct_ != nullptr) return;
  }
  if (committed_ == 0 || file_ == nullptr) return;
  if (size_ < 0) {  // the first write: the file ends where it ends now (kAppend, kResume)
    struct stat st {};
    const bool known = ::fstat(::fileno(file_), &st) == 0;
    size_ = known ? st.st_size : 0;
    reserving_ = reserving_ && known;
  }
  reserve_for(committed_);
  ++writes_;
  const std::size_t n = std::fwrite(buffer_.data(), 1, committed_, file_);
  const bool ok = n == committed_ && std::fflush(file_) == 0;
  const off_t begin = size_;
  size_ += static_cast<off_t>(n);
  // An entry being built when a flush comes (an exception on its way up) stays behind the lines.
  const std::size_t rest = buffer_.size() - committed_;
  if (rest > 0) std::memmove(buffer_.data(), buffer_.data() + committed_, rest);
  buffer_.truncate(rest);
  committed_ = 0;
  if (!ok) throw Error(fmt::format("{}: cannot write journal: {}", path_, std::strerror(errno)));
  behind_.appended(::fileno(file_), begin, size_);
}

void FileJournalPersistor::line_done() {
  if (policy_ == SyncPolicy::kEveryEntry) {
    write_out();
    ::fsync(::fileno(file_));
  } else if (committed_ >= kBufferBytes) {
    write_out(false);
  }
}

bool FileJournalPersistor::old_lines_remain() {
  if (existing_ == nullptr) return false;
  const int ch = std::getc(existing_);
  if (ch == EOF) return false;
  std::ungetc(ch, existing_);
  return true;
}

void FileJournalPersistor::append(std::string_view line) {
  if (existing_ != nullptr && verify(line)) return;
  buffer_.truncate(committed_);
  buffer_ += line;
  committed_ = buffer_.size();
  line_done();
}

void FileJournalPersistor::flush() {
  write_out();
  if (file_ != nullptr && policy_ == SyncPolicy::kEveryEntry) ::fsync(::fileno(file_));
}

void FileJournalPersistor::sync() {
  write_out();
  if (file_ != nullptr) ::fsync(::fileno(file_));
}

}  // namespace st
