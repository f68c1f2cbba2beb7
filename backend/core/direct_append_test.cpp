#include "backend/core/direct_append.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <new>
#include <string>

#include "backend/core/atomic_file.h"
#include "backend/core/page_cache_test_util.h"

namespace st {
namespace {

using testing_support::resident_pages;

struct AlignedDelete {
  void operator()(char* p) const { ::operator delete(p, std::align_val_t{DirectAppend::kAlign}); }
};
using Block = std::unique_ptr<char, AlignedDelete>;
Block block(std::size_t n) {
  return Block(static_cast<char*>(::operator new(n, std::align_val_t{DirectAppend::kAlign})));
}

std::string new_file(const std::string& name) {
  const std::string path = std::string(ST_BINARY_DIR) + "/" + name;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0) << path;
  ::close(fd);
  return path;
}

// Blocks from two buffers in turn (the caller fills one while the other is written) reach the file
// in order and stay out of the page cache; the file's size runs ahead while they are written, and
// finish() makes it the data's.
TEST(DirectAppend, WritesBlocksInOrderPastThePageCacheAndSettlesTheSize) {
  const std::string path = new_file("direct_append.bin");
  constexpr std::size_t kBlock = 1 << 20;
  std::string expected;
  {
    DirectAppend out(path, 0);
    if (!out.active()) GTEST_SKIP() << "no direct writes on this machine: " << out.why_not();
    Block buffers[2] = {block(kBlock), block(kBlock)};
    for (int i = 0; i < 8; ++i) {
      char* b = buffers[i % 2].get();  // its last write was waited for by the previous submit
      for (std::size_t k = 0; k < kBlock; ++k) b[k] = static_cast<char>('a' + (i * 7 + k / 4096) % 26);
      expected.append(b, kBlock);
      out.submit(b, kBlock);
      EXPECT_TRUE(out.active()) << out.why_not();
    }
    EXPECT_EQ(out.offset(), static_cast<off_t>(expected.size()));
    EXPECT_EQ(out.writes(), 8u);
    EXPECT_GE(std::filesystem::file_size(path), static_cast<std::uintmax_t>(DirectAppend::kExtendBytes));
    out.finish(nullptr, 0);
    EXPECT_EQ(std::filesystem::file_size(path), expected.size());
    if (!testing_support::files_live_in_memory(ST_BINARY_DIR)) {
      EXPECT_LE(resident_pages(path, 0, expected.size()), 16u) << "direct writes went through the page cache";
    }
  }
  std::string text, why;
  ASSERT_TRUE(read_file(path, text, why)) << why;
  EXPECT_TRUE(text == expected);
  std::filesystem::remove(path);
}

// When the kernel refuses a direct write after all (here: memory that is not aligned, EINVAL),
// that block is written through the page cache, and so is every later one: the file holds every
// byte, in order.
TEST(DirectAppend, ABlockTheKernelRefusesIsWrittenThroughThePageCache) {
  const std::string path = new_file("direct_append_refused.bin");
  constexpr std::size_t kBlock = 64 << 10;
  Block memory = block(2 * kBlock + DirectAppend::kAlign);
  std::string expected;
  {
    DirectAppend out(path, 0);
    if (!out.active()) GTEST_SKIP() << "no direct writes on this machine: " << out.why_not();
    char* aligned = memory.get();
    std::fill(aligned, aligned + kBlock, 'a');
    out.submit(aligned, kBlock);
    expected.append(aligned, kBlock);
    char* misaligned = aligned + kBlock + 1;
    std::fill(misaligned, misaligned + kBlock, 'b');
    out.submit(misaligned, kBlock);
    expected.append(misaligned, kBlock);
    out.wait();
    EXPECT_FALSE(out.active());
    EXPECT_NE(out.why_not().find("refused"), std::string::npos) << out.why_not();
    std::fill(aligned, aligned + kBlock, 'c');
    out.submit(aligned, kBlock);  // through the page cache now
    expected.append(aligned, kBlock);
    EXPECT_EQ(out.offset(), static_cast<off_t>(expected.size()));
    out.finish(nullptr, 0);
  }
  std::string text, why;
  ASSERT_TRUE(read_file(path, text, why)) << why;
  EXPECT_TRUE(text == expected) << text.size() << " bytes, expected " << expected.size();
  std::filesystem::remove(path);
}

// Where it cannot write directly it says why, and the caller writes through the page cache.
TEST(DirectAppend, SaysWhyItCannot) {
  const std::string path = new_file("direct_append_why.bin");
  DirectAppend unaligned(path, 100);
  EXPECT_FALSE(unaligned.active());
  EXPECT_NE(unaligned.why_not().find("block boundary"), std::string::npos) << unaligned.why_not();
  DirectAppend missing(path + ".missing", 0);
  EXPECT_FALSE(missing.active());
  EXPECT_NE(missing.why_not().find("No such file"), std::string::npos) << missing.why_not();
  DirectAppend device("/dev/null", 0);
  EXPECT_FALSE(device.active());
  EXPECT_FALSE(device.why_not().empty());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace st
