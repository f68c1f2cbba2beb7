#include "backend/persistence/state_persistor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "backend/core/atomic_file.h"
#include "backend/core/diagnostics.h"
#include "backend/core/ids.h"

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

}  // namespace

constexpr std::string_view kHeader = "{\"format\":\"s1mpletrader.state/1\",\"checksum\":\"fnv1a64:";

std::string encode_state_file(const nlohmann::ordered_json& state) {
  const std::string body = state.dump();
  return fmt::format("{}{:016x}\",\"bytes\":{},\"state\":{}}}\n", kHeader, stable_hash(body), body.size(), body);
}

std::optional<nlohmann::ordered_json> decode_state_file(std::string_view text, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<nlohmann::ordered_json> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  if (text.size() < kHeader.size() && kHeader.substr(0, text.size()) == text)
    return fail("torn: the file ends inside its header");
  if (text.substr(0, kHeader.size()) != kHeader) return fail("not a state file (its header is missing)");
  std::size_t pos = kHeader.size();
  if (text.size() < pos + 16) return fail("torn: the file ends inside its header");
  std::uint64_t checksum = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char ch = text[pos + i];
    const int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (v < 0) return fail("damaged checksum field");
    checksum = checksum << 4 | static_cast<std::uint64_t>(v);
  }
  pos += 16;
  constexpr std::string_view kBytes = "\",\"bytes\":";
  if (text.substr(pos, kBytes.size()) != kBytes) return fail("torn or damaged header");
  pos += kBytes.size();
  std::uint64_t bytes = 0;
  std::size_t digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && digits < 19) {
    bytes = bytes * 10 + static_cast<std::uint64_t>(text[pos++] - '0');
    ++digits;
  }
  constexpr std::string_view kState = ",\"state\":";
  if (digits == 0 || text.substr(pos, kState.size()) != kState) return fail("torn or damaged header");
  pos += kState.size();
  if (text.size() - pos != bytes + 2 || text.substr(text.size() - 2) != "}\n")
    return fail(fmt::format("torn: {} state bytes announced, {} present", bytes,
                            text.size() - pos >= 2 ? text.size() - pos - 2 : 0));
  const std::string_view body = text.substr(pos, bytes);
  if (stable_hash(body) != checksum) return fail("damaged: the checksum of the state does not match");
  try {
    return nlohmann::ordered_json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(fmt::format("damaged: the state is not JSON at byte {}", e.byte));
  }
}

JsonStatePersistor::JsonStatePersistor(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw Error(fmt::format("{}: cannot create state directory: {}", dir_, ec.message()));
  recover();
}

void JsonStatePersistor::recover() {
  std::vector<fs::path> temps;
  for (const auto& e : fs::directory_iterator(dir_)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 9 && name.compare(name.size() - 9, 9, ".json.tmp") == 0) temps.push_back(e.path());
  }
  std::sort(temps.begin(), temps.end());
  for (const auto& tmp : temps) {
    std::string text, why;
    const bool read = read_file(tmp.string(), text, why);  // why: the reason it could not be
    const std::string final_path = tmp.string().substr(0, tmp.string().size() - 4);
    if (read && decode_state_file(text, &why)) {
      rename_durable(tmp.string(), final_path);
      recovery_log_.push_back(fmt::format("promoted {}: complete and synced before the crash", tmp.string()));
    } else {
      fs::remove(tmp);
      recovery_log_.push_back(fmt::format("discarded {}: {}", tmp.string(), why));
    }
  }
}

std::string JsonStatePersistor::path_of(const std::string& key) const {
  return (fs::path(dir_) / file_name(key)).string();
}

std::optional<nlohmann::ordered_json> JsonStatePersistor::load(const std::string& key) {
  const std::string path = path_of(key);
  std::string text, why;
  if (!read_file(path, text, why)) return std::nullopt;
  auto state = decode_state_file(text, &why);
  if (!state) throw Error(fmt::format("{}: state of \"{}\" cannot be used: {}", path, key, why));
  return state;
}

void JsonStatePersistor::save(const std::string& key, const nlohmann::ordered_json& state) {
  write_file_atomic(path_of(key), encode_state_file(state));
}

std::optional<nlohmann::ordered_json> MemoryStatePersistor::load(const std::string& key) {
  auto it = states_.find(key);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

namespace {
// dst = src, reusing dst's memory where the two have the same shape (same keys in the same order,
// arrays of the same length): a stop manager committing a moved number every bar then costs no
// allocation. Falls back to a plain copy where the shape differs.
void assign_in_place(nlohmann::ordered_json& dst, const nlohmann::ordered_json& src) {
  using Json = nlohmann::ordered_json;
  if (dst.type() != src.type()) {
    dst = src;
    return;
  }
  // On the containers themselves (an ordered object is a vector of pairs): nlohmann's iterators
  // switch on the type at every step.
  if (src.is_object()) {
    auto& d = dst.get_ref<Json::object_t&>();
    const auto& s = src.get_ref<const Json::object_t&>();
    if (d.size() != s.size()) {
      dst = src;
      return;
    }
    for (std::size_t i = 0; i < s.size(); ++i)
      if (d.begin()[i].first != s.begin()[i].first) {
        dst = src;
        return;
      }
    for (std::size_t i = 0; i < s.size(); ++i) assign_in_place(d.begin()[i].second, s.begin()[i].second);
  } else if (src.is_array()) {
    auto& d = dst.get_ref<Json::array_t&>();
    const auto& s = src.get_ref<const Json::array_t&>();
    if (d.size() != s.size()) {
      dst = src;
      return;
    }
    for (std::size_t i = 0; i < s.size(); ++i) assign_in_place(d[i], s[i]);
  } else if (src.is_string()) {
    dst.get_ref<std::string&>().assign(src.get_ref<const std::string&>());
  } else {
    dst = src;  // numbers, booleans, null: no allocation
  }
}
}  // namespace

void MemoryStatePersistor::save(const std::string& key, const nlohmann::ordered_json& state) {
  auto it = states_.find(key);
  if (it == states_.end()) states_.emplace(key, state);
  else assign_in_place(it->second, state);
  ++saves_;
}

}  // namespace st
