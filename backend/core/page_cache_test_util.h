// Test helper: how much of a file is in the page cache (write-behind and direct appends are
// tested by what they leave there).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace st::testing_support {

// Pages of [from, to) of a file that are in the page cache (mincore does not read them in).
inline std::size_t resident_pages(const std::string& path, std::size_t from, std::size_t to) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0);
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return 0;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  EXPECT_NE(map, MAP_FAILED);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((size + page - 1) / page);
  EXPECT_EQ(::mincore(map, size, in.data()), 0);
  ::munmap(map, size);
  std::size_t n = 0;
  for (std::size_t p = from / page; p < std::min(in.size(), (to + page - 1) / page); ++p) n += in[p] & 1;
  return n;
}

// Whether files in `dir` live in memory whatever is done (tmpfs, ramfs): there, what a file leaves
// in the page cache says nothing.
inline bool files_live_in_memory(const std::string& dir) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) return false;
  return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
}

}  // namespace st::testing_support
