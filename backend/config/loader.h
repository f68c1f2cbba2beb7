// Loading and validating the configuration train (DESIGN §2). See docs/configuration.md.
//
// load_config() reads index.yaml of a directory and every file it names, strictly: every error of
// every file is reported with "FILE:LINE:COL: key.path: what is wrong, expected, found", then the
// cross-file references are checked (operation -> blueprint, blueprint -> plugin, params ->
// manifest, schedule event -> a consuming worker, link -> connector). It never throws for bad
// input and never crashes, whatever the bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backend/config/config.h"
#include "backend/core/diagnostics.h"
#include "backend/registry/manifest.h"

namespace st::yaml {
struct Document;
}

namespace st::config {

struct LoadOptions {
  // "KEY.PATH=VALUE". The first segment names the file: index, platform, operators, schedule,
  // connectors, operation (each operation file), or runs.<blueprint>; the rest is the key path in
  // it, e.g. "runs.trend_follower.workforce.threat[0].params.max_drawdown_percent=5". VALUE is YAML.
  std::vector<std::string> overrides;
};

// `catalog` may be nullptr: plugin references are then not checked (used to read platform.yaml's
// plugin_dirs before the registry exists).
ConfigSet load_config(const std::string& dir, const PluginCatalog* catalog, const LoadOptions& options,
                      Diagnostics& diags);

// "config OK: <dir>: 1 operation, 3 strategy links, 2 blueprints, 12 workers, 1 schedule, 1 connector"
std::string summary(const ConfigSet& cfg);

// One parser per file kind (strict; diagnostics carry the document's file name).
IndexConfig parse_index(const yaml::Document& doc, Diagnostics& diags);
PlatformConfig parse_platform(const yaml::Document& doc, Diagnostics& diags);
OperatorsConfig parse_operators(const yaml::Document& doc, Diagnostics& diags);
ScheduleFile parse_schedule(const yaml::Document& doc, Diagnostics& diags);
ConnectorsFile parse_connectors(const yaml::Document& doc, Diagnostics& diags);
OperationConfig parse_operation(const yaml::Document& doc, Diagnostics& diags);
Blueprint parse_blueprint(const yaml::Document& doc, Diagnostics& diags);


}  // namespace st::config
