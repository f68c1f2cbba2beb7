#include "backend/core/write_behind.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "backend/core/atomic_file.h"
#include "backend/core/diagnostics.h"
#include "backend/core/page_cache_test_util.h"

namespace st {
namespace {

using testing_support::resident_pages;

std::string slurp(const std::string& path) {
  std::string text, why;
  EXPECT_TRUE(read_file(path, text, why)) << path << ": " << why;
  return text;
}

// Whether this file system lets a written, synced file's pages go (tmpfs keeps them).
bool releases_pages(const std::string& dir) {
  // Per process: ctest runs the tests that probe at the same time, and one's removal would end
  // the other's probe.
  const std::string probe = dir + "/write_behind." + std::to_string(::getpid()) + ".probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string block(1 << 20, 'x');
  const bool wrote = ::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size());
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  const bool released = wrote && resident_pages(probe, 0, block.size()) == 0;
  std::filesystem::remove(probe);
  return released;
}

// Appends pieces of 64 KiB to a new file (as the journal is written), telling `behind` after
// each, after `before` bytes it is not told of (a journal continued with kAppend); returns the
// file's bytes.
std::string write_pieces(const std::string& path, WriteBehind& behind, int pieces, std::size_t before = 0) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0);
  std::string all(before, '#');
  EXPECT_EQ(::write(fd, all.data(), all.size()), static_cast<ssize_t>(all.size()));
  for (int i = 0; i < pieces; ++i) {
    std::string piece(65536, static_cast<char>('a' + i % 26));
    piece.back() = '\n';
    EXPECT_EQ(::write(fd, piece.data(), piece.size()), static_cast<ssize_t>(piece.size()));
    behind.appended(fd, static_cast<off_t>(all.size()), static_cast<off_t>(all.size() + piece.size()));
    all += piece;
  }
  ::close(fd);
  return all;
}

WriteBehindSettings small() {
  WriteBehindSettings s;
  s.keep_cached = 2 << 20;  // windows of 2 MB: a large folio is released whole
  s.window = 2 << 20;
  s.release_lag = 4 << 20;
  return s;
}

// Past keep_cached the file's windows are written back and released release_lag behind its end:
// the file holds every byte, the released part is not cached, the kept start and the recent end
// still are.
TEST(WriteBehind, ReleasesTheWrittenWindowsBehindTheEnd) {
  if (!releases_pages(ST_BINARY_DIR)) GTEST_SKIP() << "this file system keeps a file's pages cached";
  const std::string path = std::string(ST_BINARY_DIR) + "/write_behind.bin";
  WriteBehind behind(path, small());
  const std::string expected = write_pieces(path, behind, 256);  // 16 MB
  const std::uint64_t released = behind.released_bytes();
  // From the kept start up to release_lag and a window or two before the end.
  EXPECT_GE(released, expected.size() - (2u << 20) - (4u << 20) - 2 * (2u << 20));
  EXPECT_EQ(resident_pages(path, 2u << 20, (2u << 20) + released), 0u) << "released pages still cached";
  EXPECT_GT(resident_pages(path, 0, 2u << 20), 0u) << "the kept start was released too";
  EXPECT_GT(resident_pages(path, expected.size() - (1u << 20), expected.size()), 0u);
  EXPECT_EQ(slurp(path), expected);
  std::filesystem::remove(path);
}

// A file continued at an offset that is not a window's: keep_cached counts from where the appends
// began, and the windows start at the next multiple of their size (6 MB here, after 3 + 2 MB).
TEST(WriteBehind, CountsFromWhereTheAppendsBeganAndKeepsWindowsAligned) {
  if (!releases_pages(ST_BINARY_DIR)) GTEST_SKIP() << "this file system keeps a file's pages cached";
  const std::string path = std::string(ST_BINARY_DIR) + "/write_behind_appended.bin";
  WriteBehind behind(path, small());
  const std::string expected = write_pieces(path, behind, 256, 3u << 20);  // 3 MB, then 16 MB
  const std::uint64_t released = behind.released_bytes();
  EXPECT_GE(released, expected.size() - (6u << 20) - (4u << 20) - 2 * (2u << 20));
  EXPECT_EQ(resident_pages(path, 6u << 20, (6u << 20) + released), 0u) << "released pages still cached";
  EXPECT_EQ(resident_pages(path, 0, 6u << 20), (6u << 20) / static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)))
      << "pages before the first window were released";
  EXPECT_EQ(slurp(path), expected);
  std::filesystem::remove(path);
}

// Under keep_cached nothing is released.
TEST(WriteBehind, LeavesAFileUnderKeepCachedAlone) {
  const std::string path = std::string(ST_BINARY_DIR) + "/write_behind_small.bin";
  WriteBehindSettings s = small();
  s.keep_cached = 64 << 20;
  WriteBehind behind(path, s);
  write_pieces(path, behind, 128);  // 8 MB
  EXPECT_EQ(behind.released_bytes(), 0u);
  EXPECT_TRUE(behind.enabled());
  std::filesystem::remove(path);
}

// Something that is not a file (here /dev/null) has no pages to write behind: write-behind turns
// off and the writes go on.
TEST(WriteBehind, TurnsOffWhereTheCallsDoNotApply) {
  WriteBehind behind("/dev/null", small());
  write_pieces("/dev/null", behind, 256);
  EXPECT_FALSE(behind.enabled());
  EXPECT_EQ(behind.released_bytes(), 0u);
}

}  // namespace
}  // namespace st
