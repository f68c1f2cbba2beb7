#include "backend/core/atomic_file.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace st
