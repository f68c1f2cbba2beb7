// explain: the *why* of one trade, reconstructed from the journal alone (DESIGN §7).
//
// For a TradeID it gathers the opportunity (or scheduled action) that started it, its plan and
// the rationale of each planning phase, its orders and fills, the stops moved while it was open,
// the other opportunities rejected while it was open and why, and what closed it: the exit
// signal, the stop or take-profit, or the threat that forced it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace st {

using JournalEntry = nlohmann::ordered_json;

struct TradeExplanation {
  std::string trade_id;
  JournalEntry run;                 // RUN_STARTED (link, workers and their params), or null
  JournalEntry opportunity;         // OPPORTUNITY_DETECTED that opened it, or null
  JournalEntry scheduled;           // SCHEDULED_ACTION that opened it, or null
  JournalEntry planned;             // TRADE_PLANNED, or null
  JournalEntry opened;              // TRADE_OPENED, or null (never filled)
  JournalEntry closed;              // TRADE_CLOSED, or null (still open)
  JournalEntry exit_opportunity;    // the exit signal that closed it, or null
  JournalEntry threat;              // THREAT_DETECTED that forced the exit, or null
  std::vector<JournalEntry> orders;          // ORDER_* of the trade
  std::vector<JournalEntry> stops;           // STOP_MOVED
  std::vector<JournalEntry> worker_entries;  // WORKER_ENTRY naming the trade or its opportunity
  std::vector<JournalEntry> rejected_while_open;  // OPPORTUNITY_REJECTED between open and close
  std::vector<JournalEntry> threats_while_open;   // THREAT_DETECTED between open and close
};

// Throws st::Error "trade <id> not found in the journal" when the id is unknown.
TradeExplanation explain_trade(const std::vector<JournalEntry>& entries, const std::string& trade_id);
// The same from a journal file, read twice line by line: only the lines that can matter to the
// trade are parsed (its id in them; opportunities, threats and rejections by id or by time while
// it was open), so a journal of millions of entries costs memory by what it says of the trade.
// nullopt when the trade is not in it; st::Error "file:line:col" for a malformed line it parses.
std::optional<TradeExplanation> explain_trade_in_file(const std::string& journal_path, const std::string& trade_id);

std::string render_text(const TradeExplanation& e);
nlohmann::ordered_json render_json(const TradeExplanation& e);

}  // namespace st
