#include "backend/journal/reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "backend/core/diagnostics.h"

namespace st::journal {

std::vector<nlohmann::ordered_json> parse_journal(const std::string& text, const std::string& name) {
  std::vector<nlohmann::ordered_json> out;
  std::size_t pos = 0;
  int line = 0;
  while (pos < text.size()) {
    ++line;
    const std::size_t nl = text.find('\n', pos);
    const bool torn = nl == std::string::npos;
    const std::string_view row(text.data() + pos, (torn ? text.size() : nl) - pos);
    pos = torn ? text.size() : nl + 1;
    if (row.empty()) continue;
    try {
      out.push_back(parse_journal_line(row, name, line));
    } catch (const Error&) {
      if (torn) break;
      throw;
    }
  }
  return out;
}

nlohmann::ordered_json parse_journal_line(std::string_view row, const std::string& name, std::int64_t line) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(row);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(fmt::format("{}:{}:{}: malformed journal line: {}", name, line, e.byte, e.what()));
  }
  if (!j.is_object()) throw Error(fmt::format("{}:{}:1: expected a JSON object per line", name, line));
  return j;
}

std::string_view string_field(std::string_view line, std::string_view quoted_key) {
  // memmem: a search by first character would stop at each of the line's many quotes.
  const void* found = memmem(line.data(), line.size(), quoted_key.data(), quoted_key.size());
  if (found == nullptr) return {};
  const std::size_t from = static_cast<std::size_t>(static_cast<const char*>(found) - line.data()) + quoted_key.size();
  if (line.substr(from, 2) != ":\"") return {};
  const std::size_t to = line.find('"', from + 2);
  return to == line.npos ? std::string_view() : line.substr(from + 2, to - from - 2);
}

std::vector<nlohmann::ordered_json> read_journal(const std::string& path) {
  std::vector<nlohmann::ordered_json> out;
  for_each_entry(path, [](std::string_view) { return true; }, [&](nlohmann::ordered_json& e) { out.push_back(std::move(e)); });
  return out;
}

}  // namespace st::journal
