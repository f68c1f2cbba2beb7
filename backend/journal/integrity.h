// The rules a valid journal obeys (docs/journal.md): sequence, time order and causal links.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace st::journal {

// Returns one message per violation (empty = valid), e.g.
// "seq 41: TRADE_OPENED names opportunity 5f..., which was never detected".
std::vector<std::string> check_integrity(const std::vector<nlohmann::ordered_json>& entries);

}  // namespace st::journal
