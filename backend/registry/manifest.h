// Plugin manifests (plugins/<name>/manifest.yaml) and the registry that discovers them.
//
//   name: ema                      # [a-z][a-z0-9_]*, unique
//   version: 1.0.0                 # semantic version
//   category: context              # context | opportunity | threat | planning | execution
//   subtype: INDICATOR_CALCULATION # valid for the category (DESIGN §4)
//   description: Exponential moving average, O(1) per bar.
//   capabilities: []               # any of stateful, event_aware, journaling
//   params:
//     period: {type: int, default: 20, min: 1, max: 100000, description: ...}
//     source: {type: enum, values: [open, high, low, close, volume], default: close}
//     output: {type: string, required: true}
//   events: {emits: [], consumes: []}
//   library: libmy_plugin.so       # user plugins only: the shared library, next to the manifest
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend/api/params.h"
#include "backend/api/worker.h"
#include "backend/config/config.h"
#include "backend/core/diagnostics.h"

namespace st {

enum class ParamType { kInt, kFloat, kBool, kString, kEnum, kStringList };
const char* to_string(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::optional<ParamValue> default_value;
  std::optional<double> min;   // int/float
  std::optional<double> max;
  std::vector<std::string> values;  // enum
  std::string description;
};

enum Capability : unsigned { kCapStateful = 1, kCapEventAware = 2, kCapJournaling = 4 };

struct Manifest {
  std::string name;
  std::string version;
  WorkerCategory category = WorkerCategory::kContext;
  std::string subtype;
  std::string description;
  unsigned capabilities = 0;  // Capability bits
  std::vector<ParamSpec> params;
  std::vector<std::string> emits;
  std::vector<std::string> consumes;
  std::string library;        // user plugins: shared library file (relative to the manifest)
  std::string file;           // manifest path (for diagnostics)
  bool builtin = false;

  const ParamSpec* find_param(std::string_view name) const;
};

// Valid subtypes of a category (DESIGN §4 table).
const std::vector<std::string>& subtypes_of(WorkerCategory c);

namespace yaml {
struct Document;
}
// Parses and checks one manifest.yaml; every problem goes to `diags` with file:line:col.
std::optional<Manifest> parse_manifest(const yaml::Document& doc, Diagnostics& diags);

}  // namespace st

namespace st {

// What the configuration validator needs of the plugin registry.
class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  virtual const Manifest* find(std::string_view name) const = 0;
  virtual std::vector<std::string> names() const = 0;  // sorted
};

}  // namespace st

namespace st {

// Checks a blueprint worker's params against its manifest and returns them with defaults filled
// in: unknown names (with "did you mean"), wrong types, out-of-range numbers, bad enum values and
// missing required params are reported (at the param's position, or the worker's for missing
// ones). Used by the configuration validator and by the WorkerBuilder alike.
Params resolve_params(const Manifest& manifest, const config::WorkerConfig& worker,
                      const std::string& file, Diagnostics& diags);

}  // namespace st
