// StrategyRunner: one strategy link, end to end (DESIGN §6, §9). It assembles the workforce,
// wires the five operators to the event bus, replays the data through the BacktestEnvironment
// and writes the run directory of the link:
//   <out>/<link>/journal.jsonl  trades.csv  equity.csv  ledger.json  summary.json  report.html
//
// Crash safety: the journal is append-only and synced at every checkpoint; ledger.json (cash,
// positions, open orders; a checksummed state file) is replaced atomically at each checkpoint and
// at the end; every other output is written to a temp file and renamed into place. A run killed at
// any moment is continued with RunOptions::resume.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backend/config/config.h"
#include "backend/data/bar_source.h"
#include "backend/registry/registry.h"
#include "services/metrics/metrics.h"

namespace st {

struct RunProgress {
  std::string link;
  std::int64_t bars = 0;
  std::int64_t total_bars = 0;  // 0 when unknown
  // After the last bar, while the outputs are written (a long run's report reads its files back:
  // seconds at 100 M bars); null otherwise. The call after them has bars == total_bars again.
  const char* phase = nullptr;
};

struct RunOptions {
  std::string out_dir;                       // the run directory (links go in subfolders)
  std::optional<std::string> data_override;  // --data: replaces the link's data source
  std::function<void(const RunProgress&)> progress;  // called every ~65k bars and at the end
  // equity.csv, trades.csv, summary.json (with metrics) and report.html; the journal is always
  // written. Off for benchmarks, which measure the engine.
  bool write_outputs = true;
  // Also trades.parquet and equity.parquet (typed: timestamps, exact decimals), beside the CSVs.
  bool parquet_outputs = false;
  // Replaces the link's data source (benchmarks feed bars from memory).
  std::function<std::unique_ptr<BarSource>()> source;
  // Continue a killed run in out_dir: the run is replayed deterministically; each journal entry it
  // writes is checked against the entry already on disk (a torn last line is cut off first) and
  // new entries are appended after them; the outputs are then written as an uninterrupted run
  // writes them. A difference (config, data or plugins changed) stops with the line that differs.
  bool resume = false;
  // Called after every bar with the bars done, the journal entries made so far and the times the
  // journal file was written to (benchmarks tell quiet bars, which journal nothing, from the
  // others, and time each kind). Unset: no cost.
  std::function<void(std::int64_t bars, std::uint64_t journal_entries, std::uint64_t journal_writes)> bar_hook;
  // Bars between checkpoints: the journal is synced to disk and ledger.json replaced atomically.
  std::int64_t checkpoint_bars = 65536;
  // Context workers that can (ContextWorker::process_block) compute each batch of bars ahead of
  // its chain: the same values, fewer calls. Off: every context worker runs on every bar.
  bool context_blocks = true;
};

struct LinkSummary {
  std::string link, blueprint, symbol, timeframe;
  std::string first_bar, last_bar;
  std::int64_t bars = 0;
  std::string initial_cash, final_cash, final_equity;
  double return_percent = 0;
  double max_drawdown_percent = 0;
  std::int64_t trades_closed = 0, trades_open = 0, trades_won = 0;
  std::int64_t opportunities_detected = 0, opportunities_rejected = 0;
  std::int64_t threats_detected = 0;
  std::int64_t orders_submitted = 0, orders_filled = 0, orders_rejected = 0;
  std::string fees_paid;
  std::map<std::string, std::int64_t> rejections_by_reason;
  std::map<std::string, std::int64_t> threats_by_type;
  std::uint64_t journal_entries = 0;
  std::string directory;
  Metrics metrics;
  // Resume only (not in summary.json, which equals an uninterrupted run's): entries found on disk
  // and verified, and what crash recovery repaired.
  std::uint64_t resumed_entries = 0;
  std::vector<std::string> recovery_notes;
};

// Runs one link. Throws st::Error (with file:line where it applies) for bad data, a plugin that
// fails, or an assembly problem; the journal written so far is flushed first.
LinkSummary run_link(const config::ConfigSet& cfg, const PluginRegistry& registry,
                     const config::StrategyLinkConfig& link, const RunOptions& options);

// Text of a summary for the terminal (a few lines).
std::string render_summary(const LinkSummary& s);
std::string summary_json(const LinkSummary& s);

}  // namespace st
