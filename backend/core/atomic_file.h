// Durable file replacement (DESIGN §8, crash safety).
//
// write_file_atomic writes <path>.tmp, fsyncs it, renames it over <path> and fsyncs the
// directory: after a crash the file holds its old content or its new content, never a mix.
// Run outputs (trades.csv, summary.json, report.html) and state files all go through it.
#pragma once

#include <string>
#include <string_view>

namespace st {

// Throws st::Error naming the path when a step fails.
void write_file_atomic(const std::string& path, std::string_view content);
// fsyncs `from`, renames it over `to` and fsyncs `to`'s directory (for files written in pieces).
void rename_durable(const std::string& from, const std::string& to);
// fsync of a file or directory; false when it cannot be opened.
bool fsync_path(const std::string& path, bool directory);

// Writes all of `bytes` to fd, at offset `at` (pwrite) or, when `at` < 0, at the file's position,
// retrying interrupted and partial writes. 0, or the errno of the write that failed.
int write_fully(int fd, std::string_view bytes, long long at = -1);

// The whole of a file, into `text`. False when it cannot be read, with `why`: the system's reason
// ("No such file or directory", "Permission denied", ...) or "is a folder".
bool read_file(const std::string& path, std::string& text, std::string& why);

// A new file written front to back in large pieces (equity.csv.partial, renamed with
// rename_durable when whole): created or truncated, each write whole, and a failure an st::Error
// naming the path and the system's reason when it happens. No write-behind (write_behind.h): the
// report reads equity.csv back right after the run, so its pages are worth keeping (100 M
// bars through the CLI, side by side: what it saved writing, the report lost reading the disk).
class AppendFile {
 public:
  explicit AppendFile(std::string path);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  void write(std::string_view bytes);
  // Closes the file; a failure (a delayed write error) is an st::Error naming the path.
  void close();

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace st
