// run.json: how a run directory's run was started (config directory, operation, link, --data,
// --set, --parquet), so that `backtest --resume DIR` starts it again the same way.
#pragma once

#include <string>
#include <vector>

namespace st {

struct RunManifest {
  std::string config;     // absolute config directory
  std::string operation;
  std::string link;       // empty: every backtest link of the operation
  std::string data;       // absolute --data file, or empty
  std::vector<std::string> sets;
  bool parquet = false;
};

// Writes DIR/run.json atomically. Throws st::Error naming the file.
void write_run_manifest(const std::string& dir, const RunManifest& m);
// Reads DIR/run.json. Throws st::Error naming the file: missing ("nothing to resume") or not a
// run manifest (with what is wrong).
RunManifest read_run_manifest(const std::string& dir);

}  // namespace st
