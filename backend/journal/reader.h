// Reading a journal back (explain, tests, tools).
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace st::journal {

// Every entry of a JSON Lines journal, in order. A malformed line throws st::Error with
// "file:line:col"; a torn last line (no '\n', as a crash leaves it) is skipped, because every
// complete line before it is still valid.
std::vector<nlohmann::ordered_json> read_journal(const std::string& path);
std::vector<nlohmann::ordered_json> parse_journal(const std::string& text, const std::string& name);
// One line of it (`line` counts from 1, for the error).
nlohmann::ordered_json parse_journal_line(std::string_view row, const std::string& name, std::int64_t line);

}  // namespace st::journal
