// Buffered line-by-line reading of text files (CSV dialects): constant memory, 1-based line
// numbers for error messages, '\r\n' and a missing final newline handled.
#pragma once

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "backend/core/diagnostics.h"

namespace st {

class LineReader {
 public:
  explicit LineReader(std::string path) : path_(std::move(path)) {
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) throw Error(fmt::format("{}: cannot open: {}", path_, std::strerror(errno)));
    buffer_.reserve(kChunk * 2);
  }
  ~LineReader() {
    if (file_ != nullptr) std::fclose(file_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its end; valid until the next call. False at the end of the file.
  bool next(std::string_view& line) {
    while (true) {
      const std::size_t nl = buffer_.find('\n', pos_);
      if (nl != std::string::npos) {
        line = std::string_view(buffer_).substr(pos_, nl - pos_);
        pos_ = nl + 1;
        break;
      }
      if (eof_) {
        if (pos_ >= buffer_.size()) return false;
        line = std::string_view(buffer_).substr(pos_);
        pos_ = buffer_.size();
        unterminated_ = true;
        break;
      }
      refill();
    }
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 BOM
    return true;
  }
  std::int64_t line() const { return line_; }
  // The line just read is the file's last and has no '\n' (a writer may have been cut off in it).
  bool unterminated() const { return unterminated_; }
  const std::string& path() const { return path_; }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void refill() {
    buffer_.erase(0, pos_);
    pos_ = 0;
    const std::size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    const std::size_t n = std::fread(buffer_.data() + old, 1, kChunk, file_);
    buffer_.resize(old + n);
    if (n < kChunk) {
      if (std::ferror(file_)) throw Error(fmt::format("{}: read error: {}", path_, std::strerror(errno)));
      eof_ = true;
    }
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false, unterminated_ = false;
  std::int64_t line_ = 0;
};

}  // namespace st
