// Support for the configuration suites: a scratch copy of config/ with one edit applied.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace st::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Copies ST_SOURCE_DIR/config to ST_BINARY_DIR/config_cases/<name> and returns the copy.
inline std::filesystem::path scratch_config(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dst = fs::path(ST_BINARY_DIR) / "config_cases" / name;
  fs::remove_all(dst);
  fs::create_directories(dst.parent_path());
  fs::copy(fs::path(ST_SOURCE_DIR) / "config", dst, fs::copy_options::recursive);
  return dst;
}

}  // namespace st::testing
