// IStatePersistor implementations (DESIGN §8, persistence suite).
//
// JsonStatePersistor keeps one JSON file per key in a directory and replaces it atomically:
// write <key>.json.tmp, fsync, rename over <key>.json, fsync the directory. A crash leaves the
// old state or the new one, never half of either.
#pragma once

#include <map>
#include <optional>
#include <string>

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

 private:
  std::string dir_;
};

// In memory: backtests (state lives as long as the run) and tests.
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
