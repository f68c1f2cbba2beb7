// Test-only helpers shared by the Parquet unit tests.
#pragma once

#include <filesystem>
#include <string>

namespace st::parquet::testing {

// A path for a test file under the build directory's parquet_cases/ (created).
inline std::string case_path(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(ST_BINARY_DIR) / "parquet_cases" / name;
  std::filesystem::create_directories(p.parent_path());
  return p.string();
}

}  // namespace st::parquet::testing
