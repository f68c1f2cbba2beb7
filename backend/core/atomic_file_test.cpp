#include "backend/core/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "backend/core/diagnostics.h"

namespace st {
namespace {

// A write the disk refuses, or a file that cannot be created, is an error naming the path.
TEST(AppendFile, FailuresNameThePath) {
  try {
    AppendFile out("/dev/full");
    out.write("timestamp,cash\n");
    FAIL() << "a write to /dev/full succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full: cannot write: No space left on device"), std::string::npos)
        << e.what();
  }
  try {
    AppendFile out("/nonexistent-dir/equity.csv.partial");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/equity.csv.partial: cannot create: No such file"),
              std::string::npos)
        << e.what();
  }
}

// A file's bytes, whatever they are; a missing file and a folder say why they cannot be read.
TEST(ReadFile, ReadsTheWholeFileOrSaysWhyNot) {
  const std::string path = std::string(ST_BINARY_DIR) + "/read_file_test.bin";
  std::string bytes(200000, '\0');  // more than one read's buffer, with NULs and every byte value
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 256);
  {
    AppendFile out(path);
    out.write(bytes);
    out.close();
  }
  std::string text = "old", why;
  ASSERT_TRUE(read_file(path, text, why)) << why;
  EXPECT_EQ(text, bytes);
  std::filesystem::remove(path);
  EXPECT_FALSE(read_file(path, text, why));
  EXPECT_EQ(why, "No such file or directory");
  EXPECT_TRUE(text.empty());
  EXPECT_FALSE(read_file(ST_BINARY_DIR, text, why));
  EXPECT_EQ(why, "is a folder");
}

}  // namespace
}  // namespace st
