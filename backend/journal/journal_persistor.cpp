#include "backend/journal/journal_persistor.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "backend/core/diagnostics.h"

namespace st {

namespace {
constexpr std::size_t kBufferBytes = 1 << 20;
}

FileJournalPersistor::FileJournalPersistor(std::string path, SyncPolicy policy, bool append_mode)
    : path_(std::move(path)), policy_(policy) {
  file_ = std::fopen(path_.c_str(), append_mode ? "ab" : "wb");
  if (file_ == nullptr) throw Error(fmt::format("{}: cannot open journal: {}", path_, std::strerror(errno)));
  buffer_.reserve(kBufferBytes + 4096);
}

FileJournalPersistor::~FileJournalPersistor() {
  if (file_ == nullptr) return;
  try {
    write_out();
  } catch (...) {
    // Destructors must not throw; flush() reports errors to callers that ask.
  }
  std::fclose(file_);
}

void FileJournalPersistor::write_out() {
  if (buffer_.empty()) return;
  const std::size_t n = std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  const bool ok = n == buffer_.size() && std::fflush(file_) == 0;
  buffer_.clear();
  if (!ok) throw Error(fmt::format("{}: cannot write journal: {}", path_, std::strerror(errno)));
}

void FileJournalPersistor::append(std::string_view line) {
  buffer_.append(line);
  if (policy_ == SyncPolicy::kEveryEntry) {
    write_out();
    ::fsync(::fileno(file_));
  } else if (buffer_.size() >= kBufferBytes) {
    write_out();
  }
}

void FileJournalPersistor::flush() {
  write_out();
  if (policy_ == SyncPolicy::kEveryEntry) ::fsync(::fileno(file_));
}

}  // namespace st
