// Test-only helpers shared by the Parquet unit tests.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/api/dto.h"

namespace st::parquet::testing {

// A path for a test file under the build directory's parquet_cases/ (created).
inline std::string case_path(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(ST_BINARY_DIR) / "parquet_cases" / name;
  std::filesystem::create_directories(p.parent_path());
  return p.string();
}

inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Same bars, bit for bit.
inline void expect_identical(const std::vector<Bar>& got, const std::vector<Bar>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].time, want[i].time) << "bar " << i;
    ASSERT_TRUE(same_bits(got[i].open, want[i].open) && same_bits(got[i].high, want[i].high) &&
                same_bits(got[i].low, want[i].low) && same_bits(got[i].close, want[i].close) &&
                same_bits(got[i].volume, want[i].volume))
        << "bar " << i;
  }
}

}  // namespace st::parquet::testing
