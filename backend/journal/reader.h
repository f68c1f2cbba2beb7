// Reading a journal back (explain, tests, tools).
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backend/core/diagnostics.h"
#include "backend/data/line_reader.h"

namespace st::journal {

// Every entry of a JSON Lines journal, in order. A malformed line throws st::Error with
// "file:line:col"; a torn last line (no '\n', as a crash leaves it) is skipped, because every
// complete line before it is still valid.
std::vector<nlohmann::ordered_json> read_journal(const std::string& path);
std::vector<nlohmann::ordered_json> parse_journal(const std::string& text, const std::string& name);
// One line of it (`line` counts from 1, for the error).
nlohmann::ordered_json parse_journal_line(std::string_view row, const std::string& name, std::int64_t line);

// The value of "key":"value" in a journal line's text, without parsing it: the key's first
// occurrence, which the journal's fixed field order puts before any nested object (event_type,
// the four ids, timestamp); empty when it is absent or not a string. For filters that decide
// which lines are worth parsing.
std::string_view string_field(std::string_view line, std::string_view quoted_key);

// Calls use(entry) for each line of a journal file that may_use(the line's text) lets through,
// parsed, in order. The file is read line by line and the other lines are never parsed (a
// journal of millions of entries costs what the caller keeps). A torn last line (no newline: the
// writer was cut off) is skipped, as parse_journal does; a malformed line that is parsed is an
// st::Error "file:line:col".
template <class MayUse, class Use>
void for_each_entry(const std::string& path, MayUse&& may_use, Use&& use) {
  LineReader in(path);
  std::string_view line;
  while (in.next(line)) {
    if (line.empty() || !may_use(line)) continue;
    nlohmann::ordered_json e;
    try {
      e = parse_journal_line(line, path, in.line());
    } catch (const Error&) {
      if (in.unterminated()) return;
      throw;
    }
    use(e);
  }
}

}  // namespace st::journal
