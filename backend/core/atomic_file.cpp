#include "backend/core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "backend/core/diagnostics.h"

namespace st {

bool fsync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

namespace {
std::string directory_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}
}  // namespace

void rename_durable(const std::string& from, const std::string& to) {
  // The content reaches the disk before the name does: a crash never shows `to` with data
  // that was still in the page cache.
  if (!fsync_path(from, false))
    throw Error(fmt::format("{}: cannot sync to disk: {}", from, std::strerror(errno)));
  if (std::rename(from.c_str(), to.c_str()) != 0)
    throw Error(fmt::format("{}: cannot replace with {}: {}", to, from, std::strerror(errno)));
  fsync_path(directory_of(to), true);
}

int write_fully(int fd, std::string_view bytes, long long at) {
  while (!bytes.empty()) {
    const ssize_t n = at < 0 ? ::write(fd, bytes.data(), bytes.size())
                             : ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    if (at >= 0) at += n;
  }
  return 0;
}

void write_file_atomic(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  if (const int err = write_fully(fd, content); err != 0) {
    ::close(fd);
    throw Error(fmt::format("{}: cannot write: {}", tmp, std::strerror(err)));
  }
  ::close(fd);
  rename_durable(tmp, path);  // syncs tmp, renames, syncs the directory
}

bool read_file(const std::string& path, std::string& text, std::string& why) {
  text.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    why = "is a folder";
    return false;
  }
  if (st.st_size > 0) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::strerror(errno);
      ::close(fd);
      text.clear();
      return false;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

AppendFile::AppendFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(fmt::format("{}: cannot create: {}", path_, std::strerror(errno)));
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendFile::write(std::string_view bytes) {
  if (const int err = write_fully(fd_, bytes); err != 0)
    throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(err)));
}

void AppendFile::close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
}

}  // namespace st
