// IStatePersistor implementations (DESIGN §8, persistence suite).
//
// JsonStatePersistor keeps one JSON file per key in a directory and replaces it atomically:
// write <key>.json.tmp, fsync, rename over <key>.json, fsync the directory. A crash leaves the
// old state or the new one, never half of either.
//
// Every state file carries a checksum of its state's bytes:
//   {"format":"s1mpletrader.state/1","checksum":"fnv1a64:<16 hex>","bytes":N,"state":{...}}
// so a torn or damaged file is recognised, never trusted. On opening the directory, recovery
// looks at the <key>.json.tmp files a crash left behind: a temp file whose checksum holds was
// complete and synced before the crash (only the rename was missing) and is promoted; a torn one
// is deleted. What recovery did is in recovery_log().
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/api/worker.h"

namespace st {

class JsonStatePersistor final : public IStatePersistor {
 public:
  // Creates the directory when missing; throws st::Error when it cannot.
  explicit JsonStatePersistor(std::string dir);
  // A state file that is not valid JSON throws st::Error naming the file and the position.
  std::optional<nlohmann::ordered_json> load(const std::string& key) override;
  void save(const std::string& key, const nlohmann::ordered_json& state) override;
  std::string path_of(const std::string& key) const;
  // One line per temp file found at start: "promoted ..." or "discarded torn ...".
  const std::vector<std::string>& recovery_log() const { return recovery_log_; }

 private:
  void recover();
  std::string dir_;
  std::vector<std::string> recovery_log_;
};

// The text of a state file (exposed for tests and for tools that inspect run directories).
std::string encode_state_file(const nlohmann::ordered_json& state);
// The state in a state file's text; std::nullopt and `why` set when the text is torn, damaged or
// not a state file.
std::optional<nlohmann::ordered_json> decode_state_file(std::string_view text, std::string* why = nullptr);

// Backtests: a worker's state lives in the worker for the run, and nothing reads a commit back
// (a backtest is not restarted in the middle: `backtest --resume` replays it from its first bar,
// which rebuilds every state). So a commit is counted, not copied — a copy per commit was ~2 % of
// the reference strategy's instructions, its trailing stop committing on most bars with a trade —
// and a load finds nothing: the workers start from their initial state, as a backtest's do.
class BacktestStatePersistor final : public IStatePersistor {
 public:
  std::optional<nlohmann::ordered_json> load(const std::string&) override { return std::nullopt; }
  void save(const std::string&, const nlohmann::ordered_json&) override { ++saves_; }
  std::size_t saves() const { return saves_; }

 private:
  std::size_t saves_ = 0;
};

// In memory, each key's last commit kept: tests, and tools that look at what workers committed.
class MemoryStatePersistor final : public IStatePersistor {
 public:
  std::optional<nlohmann::ordered_json> load(const std::string& key) override;
  void save(const std::string& key, const nlohmann::ordered_json& state) override;
  std::size_t saves() const { return saves_; }

 private:
  std::map<std::string, nlohmann::ordered_json> states_;
  std::size_t saves_ = 0;
};

}  // namespace st
