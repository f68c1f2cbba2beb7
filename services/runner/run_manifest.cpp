#include "services/runner/run_manifest.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "backend/core/atomic_file.h"
#include "backend/core/diagnostics.h"

namespace st {
namespace fs = std::filesystem;

namespace {
constexpr const char* kFormat = "s1mpletrader.run/1";
}

void write_run_manifest(const std::string& dir, const RunManifest& m) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["config"] = m.config;
  j["operation"] = m.operation;
  j["link"] = m.link;
  j["data"] = m.data;
  j["sets"] = m.sets;
  j["parquet"] = m.parquet;
  fs::create_directories(dir);
  write_file_atomic((fs::path(dir) / "run.json").string(), j.dump(2) + "\n");
}

RunManifest read_run_manifest(const std::string& dir) {
  const fs::path path = fs::path(dir) / "run.json";
  std::ifstream in(path);
  if (!in)
    throw Error(fmt::format("{}: nothing to resume: no run.json (the run was killed before it started, or this is "
                            "not a run directory; start it again without --resume)",
                            path.string()));
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.value("format", "") != kFormat) throw std::runtime_error(fmt::format("format is not {}", kFormat));
    return RunManifest{j.at("config").get<std::string>(),         j.at("operation").get<std::string>(),
                       j.at("link").get<std::string>(),           j.at("data").get<std::string>(),
                       j.at("sets").get<std::vector<std::string>>(), j.value("parquet", false)};
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: not a run manifest: {}", path.string(), e.what()));
  }
}

}  // namespace st
