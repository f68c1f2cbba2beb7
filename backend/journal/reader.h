// Reading a journal back (explain, tests, tools).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace st::journal {

// Every entry of a JSON Lines journal, in order. A malformed line throws st::Error with
// "file:line:col"; a torn last line (no '\n', as a crash leaves it) is skipped, because every
// complete line before it is still valid.
std::vector<nlohmann::ordered_json> read_journal(const std::string& path);
std::vector<nlohmann::ordered_json> parse_journal(const std::string& text, const std::string& name);

}  // namespace st::journal
