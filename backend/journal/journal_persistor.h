// Where journal lines go (IJournalPersistor, DESIGN §8). The journal is append-only JSON Lines;
// a persistor only appends whole lines and flushes.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace st {

class IJournalPersistor {
 public:
  virtual ~IJournalPersistor() = default;
  // One complete line, including its '\n'.
  virtual void append(std::string_view line) = 0;
  // Everything appended so far reaches the file (and, for kEveryEntry, the disk).
  virtual void flush() = 0;
};

// kBatched: buffered, flushed when the buffer fills and at flush() — for backtests, where a
// crash loses the run anyway. kEveryEntry: each line is written and fsync'ed before append()
// returns — for paper and live, where the journal is the record of what happened.
enum class SyncPolicy { kBatched, kEveryEntry };

class FileJournalPersistor final : public IJournalPersistor {
 public:
  // Creates or truncates `path`; throws st::Error naming the path when it cannot.
  FileJournalPersistor(std::string path, SyncPolicy policy, bool append_mode = false);
  ~FileJournalPersistor() override;
  FileJournalPersistor(const FileJournalPersistor&) = delete;
  FileJournalPersistor& operator=(const FileJournalPersistor&) = delete;

  void append(std::string_view line) override;
  void flush() override;
  const std::string& path() const { return path_; }

 private:
  void write_out();
  std::string path_;
  SyncPolicy policy_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
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
