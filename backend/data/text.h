// Small text helpers shared by the data readers (CSV, import dialects).
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <string>
#include <string_view>

namespace st {

// ASCII lower case (header names).
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A field as shown in an error message: quoted, cut after 40 characters.
inline std::string shown(std::string_view s) {
  if (s.size() > 40) return fmt::format("\"{}...\"", s.substr(0, 40));
  return fmt::format("\"{}\"", s);
}

}  // namespace st
