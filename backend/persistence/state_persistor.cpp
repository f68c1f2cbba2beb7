#include "backend/persistence/state_persistor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backend/core/diagnostics.h"

namespace st {
namespace fs = std::filesystem;

namespace {

// Keys become file names: keep [A-Za-z0-9._-], escape the rest as %XX.
std::string file_name(const std::string& key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out + ".json";
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

JsonStatePersistor::JsonStatePersistor(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw Error(fmt::format("{}: cannot create state directory: {}", dir_, ec.message()));
}

std::string JsonStatePersistor::path_of(const std::string& key) const {
  return (fs::path(dir_) / file_name(key)).string();
}

std::optional<nlohmann::ordered_json> JsonStatePersistor::load(const std::string& key) {
  const std::string path = path_of(key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  try {
    return nlohmann::ordered_json::parse(s.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(fmt::format("{}: corrupt state of \"{}\" at byte {}: {}", path, key, e.byte, e.what()));
  }
}

void JsonStatePersistor::save(const std::string& key, const nlohmann::ordered_json& state) {
  const std::string path = path_of(key);
  const std::string tmp = path + ".tmp";
  const std::string text = state.dump() + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw Error(fmt::format("{}: cannot write state: {}", tmp, std::strerror(errno)));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw Error(fmt::format("{}: cannot write state: {}", tmp, std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw Error(fmt::format("{}: cannot replace state: {}", path, std::strerror(errno)));
  fsync_path(dir_, O_RDONLY | O_DIRECTORY);
}

std::optional<nlohmann::ordered_json> MemoryStatePersistor::load(const std::string& key) {
  auto it = states_.find(key);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

void MemoryStatePersistor::save(const std::string& key, const nlohmann::ordered_json& state) {
  states_[key] = state;
  ++saves_;
}

}  // namespace st
