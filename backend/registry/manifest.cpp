#include "backend/registry/manifest.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>

#include "backend/yaml/reader.h"

namespace st {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::kInt: return "int";
    case ParamType::kFloat: return "float";
    case ParamType::kBool: return "bool";
    case ParamType::kString: return "string";
    case ParamType::kEnum: return "enum";
    case ParamType::kStringList: return "string_list";
  }
  return "?";
}

const ParamSpec* Manifest::find_param(std::string_view name) const {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

const std::vector<std::string>& subtypes_of(WorkerCategory c) {
  static const std::vector<std::string> kContext = {"REGIME_CLASSIFICATION", "STRUCTURAL_ANALYSIS",
                                                    "INDICATOR_CALCULATION", "MICROSTRUCTURE_ANALYSIS",
                                                    "TEMPORAL_CONTEXT", "SENTIMENT_ENRICHMENT",
                                                    "FUNDAMENTAL_ENRICHMENT"};
  static const std::vector<std::string> kOpportunity = {"TECHNICAL_PATTERN", "MOMENTUM_SIGNAL",
                                                        "MEAN_REVERSION", "STATISTICAL_ARBITRAGE",
                                                        "EVENT_DRIVEN", "SENTIMENT_SIGNAL", "ML_PREDICTION"};
  static const std::vector<std::string> kThreat = {"PORTFOLIO_RISK", "MARKET_RISK", "SYSTEM_HEALTH",
                                                   "STRATEGY_PERFORMANCE", "EXTERNAL_EVENT"};
  static const std::vector<std::string> kPlanning = {"ENTRY_PLANNING", "EXIT_PLANNING", "SIZE_PLANNING",
                                                     "ORDER_ROUTING"};
  static const std::vector<std::string> kExecution = {"TRADE_INITIATION", "POSITION_MANAGEMENT",
                                                      "RISK_SAFETY", "OPERATIONAL"};
  switch (c) {
    case WorkerCategory::kContext: return kContext;
    case WorkerCategory::kOpportunity: return kOpportunity;
    case WorkerCategory::kThreat: return kThreat;
    case WorkerCategory::kPlanning: return kPlanning;
    case WorkerCategory::kExecution: return kExecution;
  }
  return kContext;
}

namespace {

const yaml::EnumTable<WorkerCategory> kCategories = {{"context", WorkerCategory::kContext},
                                                     {"opportunity", WorkerCategory::kOpportunity},
                                                     {"threat", WorkerCategory::kThreat},
                                                     {"planning", WorkerCategory::kPlanning},
                                                     {"execution", WorkerCategory::kExecution}};
const yaml::EnumTable<ParamType> kTypes = {{"int", ParamType::kInt},       {"float", ParamType::kFloat},
                                           {"bool", ParamType::kBool},     {"string", ParamType::kString},
                                           {"enum", ParamType::kEnum},     {"string_list", ParamType::kStringList}};
const yaml::EnumTable<unsigned> kCapabilities = {
    {"stateful", kCapStateful}, {"event_aware", kCapEventAware}, {"journaling", kCapJournaling}};

// Reads a default value of the param's type.
bool read_typed(yaml::Reader& r, const YAML::Node& n, const std::string& path, const ParamSpec& spec,
                ParamValue& out) {
  switch (spec.type) {
    case ParamType::kInt: {
      std::int64_t v = 0;
      if (!yaml::read(r, n, path, v)) return false;
      out = v;
      return true;
    }
    case ParamType::kFloat: {
      double v = 0;
      if (!yaml::read(r, n, path, v)) return false;
      out = v;
      return true;
    }
    case ParamType::kBool: {
      bool v = false;
      if (!yaml::read(r, n, path, v)) return false;
      out = v;
      return true;
    }
    case ParamType::kString:
    case ParamType::kEnum: {
      std::string v;
      if (!yaml::read(r, n, path, v)) return false;
      out = v;
      return true;
    }
    case ParamType::kStringList: {
      std::vector<std::string> v;
      if (!yaml::read(r, n, path, v)) return false;
      out = v;
      return true;
    }
  }
  return false;
}

bool valid_event_name(const std::string& s) { return std::regex_match(s, std::regex("[A-Z][A-Z0-9_]*")); }

}  // namespace

std::optional<Manifest> parse_manifest(const yaml::Document& doc, Diagnostics& diags) {
  const std::size_t before = diags.size();
  yaml::Reader r(doc.file, diags);
  yaml::MapView m(r, doc.root, "");
  if (!m.ok()) return std::nullopt;
  Manifest man;
  man.file = doc.file;
  if (m.required("name", man.name) && !std::regex_match(man.name, std::regex("[a-z][a-z0-9_]*")))
    r.error(m.node("name"), "name", fmt::format("\"{}\" is not a plugin name ([a-z][a-z0-9_]*)", man.name));
  if (m.required("version", man.version) &&
      !std::regex_match(man.version, std::regex(R"([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.\-]+)?)")))
    r.error(m.node("version"), "version",
            fmt::format("\"{}\" is not a semantic version like 1.0.0", man.version));
  const bool have_category = m.required_enum("category", man.category, kCategories);
  if (m.required("subtype", man.subtype) && have_category) {
    const auto& valid = subtypes_of(man.category);
    if (std::find(valid.begin(), valid.end(), man.subtype) == valid.end()) {
      std::string list;
      for (const auto& s : valid) list += (list.empty() ? "" : ", ") + s;
      std::string msg = fmt::format("\"{}\" is not a {} subtype; expected one of {}", man.subtype,
                                    to_string(man.category), list);
      if (auto near = closest_match(man.subtype, valid); !near.empty())
        msg += fmt::format(" (did you mean \"{}\"?)", near);
      for (auto other : {WorkerCategory::kContext, WorkerCategory::kOpportunity, WorkerCategory::kThreat,
                         WorkerCategory::kPlanning, WorkerCategory::kExecution}) {
        const auto& theirs = subtypes_of(other);
        if (other != man.category && std::find(theirs.begin(), theirs.end(), man.subtype) != theirs.end())
          msg += fmt::format(" ({} is a subtype of the {} category)", man.subtype, to_string(other));
      }
      r.error(m.node("subtype"), "subtype", msg);
    }
  }
  m.optional("description", man.description);
  if (YAML::Node caps = m.node("capabilities"); caps.IsDefined() && !caps.IsNull()) {
    if (!caps.IsSequence()) {
      r.error(caps, "capabilities", "expected a sequence of stateful, event_aware, journaling, found " +
                                        yaml::describe(caps));
    } else {
      for (std::size_t i = 0; i < caps.size(); ++i) {
        unsigned bit = 0;
        if (yaml::read_enum(r, caps[i], yaml::index_path("capabilities", i), bit, kCapabilities))
          man.capabilities |= bit;
      }
    }
  }
  if (YAML::Node params = m.node("params"); params.IsDefined() && !params.IsNull()) {
    yaml::MapView pm(r, params, "params");
    if (pm.ok()) {
      for (const auto& [name, node] : pm.entries()) {
        const std::string path = pm.child_path(name);
        pm.known(name);
        ParamSpec spec;
        spec.name = name;
        if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]*")))
          r.error(node, path, fmt::format("\"{}\" is not a parameter name ([a-z][a-z0-9_]*)", name));
        yaml::MapView p(r, node, path);
        if (!p.ok()) continue;
        const bool typed = p.required_enum("type", spec.type, kTypes);
        p.optional("required", spec.required);
        p.optional("description", spec.description);
        p.optional("min", spec.min);
        p.optional("max", spec.max);
        if (YAML::Node values = p.node("values"); values.IsDefined()) {
          yaml::read(r, values, p.child_path("values"), spec.values);
          if (typed && spec.type != ParamType::kEnum)
            r.error(values, p.child_path("values"), "only enum parameters have values");
        } else if (typed && spec.type == ParamType::kEnum) {
          p.missing("values");
        }
        if ((spec.min || spec.max) && typed && spec.type != ParamType::kInt && spec.type != ParamType::kFloat)
          r.error(node, path, "min/max apply to int and float parameters only");
        if (spec.min && spec.max && *spec.min > *spec.max)
          r.error(p.node("min"), p.child_path("min"), fmt::format("min {} is above max {}", *spec.min, *spec.max));
        if (YAML::Node def = p.node("default"); def.IsDefined() && typed) {
          ParamValue v;
          if (read_typed(r, def, p.child_path("default"), spec, v)) {
            spec.default_value = v;
            Diagnostics check;
            // The default must satisfy its own schema.
            if (spec.type == ParamType::kEnum &&
                std::find(spec.values.begin(), spec.values.end(), std::get<std::string>(v)) == spec.values.end())
              r.error(def, p.child_path("default"),
                      fmt::format("default \"{}\" is not one of the values", std::get<std::string>(v)));
            if (spec.type == ParamType::kInt || spec.type == ParamType::kFloat) {
              const double d = spec.type == ParamType::kInt ? static_cast<double>(std::get<std::int64_t>(v))
                                                            : std::get<double>(v);
              if ((spec.min && d < *spec.min) || (spec.max && d > *spec.max))
                r.error(def, p.child_path("default"), fmt::format("default {} is outside [min, max]", d));
            }
          }
          if (spec.required)
            r.error(def, p.child_path("default"), "a required parameter cannot have a default");
        }
        p.finish();
        man.params.push_back(std::move(spec));
      }
    }
  }
  if (YAML::Node events = m.node("events"); events.IsDefined() && !events.IsNull()) {
    yaml::MapView ev(r, events, "events");
    if (ev.ok()) {
      ev.optional("emits", man.emits);
      ev.optional("consumes", man.consumes);
      for (auto* list : {&man.emits, &man.consumes}) {
        const char* key = list == &man.emits ? "emits" : "consumes";
        for (std::size_t i = 0; i < list->size(); ++i)
          if (!valid_event_name((*list)[i]))
            r.error(ev.node(key)[i], yaml::index_path(ev.child_path(key), i),
                    fmt::format("\"{}\" is not an event name (UPPER_SNAKE_CASE)", (*list)[i]));
      }
      ev.finish();
    }
  }
  if (!man.emits.empty() || !man.consumes.empty()) {
    // Executions consume scheduled events through on_scheduled; everything else needs event_aware.
    const bool scheduled_execution = man.category == WorkerCategory::kExecution && man.emits.empty();
    if (!(man.capabilities & kCapEventAware) && !scheduled_execution)
      r.error(m.node("events"), "events", "a plugin that emits or consumes events must declare the event_aware capability");
  }
  m.optional("library", man.library);
  m.finish();
  if (diags.size() != before) return std::nullopt;
  return man;
}

namespace {

std::string type_name_of(const ParamValue& v) {
  switch (v.index()) {
    case 0: return "a bool";
    case 1: return "an int";
    case 2: return "a float";
    case 3: return "a string";
    default: return "a list";
  }
}

}  // namespace

Params resolve_params(const Manifest& manifest, const config::WorkerConfig& worker, const std::string& file,
                      Diagnostics& diags) {
  std::map<std::string, ParamValue, std::less<>> out;
  std::vector<std::string> names;
  for (const auto& spec : manifest.params) names.push_back(spec.name);
  for (const auto& [name, entry] : worker.params) {
    const SourceLocation& where = entry.origin.where.file.empty() ? SourceLocation{file, 0, 0} : entry.origin.where;
    const ParamSpec* spec = manifest.find_param(name);
    if (spec == nullptr) {
      std::string msg = fmt::format("plugin \"{}\" has no parameter \"{}\"", manifest.name, name);
      if (auto near = closest_match(name, names); !near.empty()) msg += fmt::format(" (did you mean \"{}\"?)", near);
      if (!names.empty()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        msg += "; its parameters are: " + list;
      }
      diags.add(where, entry.origin.path, msg);
      continue;
    }
    const ParamValue& v = entry.value;
    ParamValue value = v;
    bool ok = true;
    const std::string& path = entry.origin.path;
    auto wrong = [&](const char* expected) {
      diags.add(where, path,
                fmt::format("expected {}, found {} ({})", expected, type_name_of(v), to_string(v)));
      ok = false;
    };
    switch (spec->type) {
      case ParamType::kInt:
        if (!std::holds_alternative<std::int64_t>(v)) wrong("an int");
        break;
      case ParamType::kFloat:
        if (std::holds_alternative<std::int64_t>(v))
          value = static_cast<double>(std::get<std::int64_t>(v));
        else if (!std::holds_alternative<double>(v))
          wrong("a number");
        break;
      case ParamType::kBool:
        if (!std::holds_alternative<bool>(v)) wrong("a bool (true or false)");
        break;
      case ParamType::kString:
        if (!std::holds_alternative<std::string>(v)) wrong("a string");
        break;
      case ParamType::kEnum:
        if (!std::holds_alternative<std::string>(v)) {
          wrong("a string");
        } else if (std::find(spec->values.begin(), spec->values.end(), std::get<std::string>(v)) ==
                   spec->values.end()) {
          std::string list;
          for (const auto& s : spec->values) list += (list.empty() ? "" : ", ") + s;
          std::string msg = fmt::format("\"{}\" is not one of {}", std::get<std::string>(v), list);
          if (auto near = closest_match(std::get<std::string>(v), spec->values); !near.empty())
            msg += fmt::format(" (did you mean \"{}\"?)", near);
          diags.add(where, entry.origin.path, msg);
          ok = false;
        }
        break;
      case ParamType::kStringList:
        if (!std::holds_alternative<std::vector<std::string>>(v)) wrong("a list of strings");
        break;
    }
    if (ok && (spec->type == ParamType::kInt || spec->type == ParamType::kFloat)) {
      const double d = std::holds_alternative<std::int64_t>(value) ? static_cast<double>(std::get<std::int64_t>(value))
                                                                   : std::get<double>(value);
      if (!std::isfinite(d) || (spec->min && d < *spec->min) || (spec->max && d > *spec->max)) {
        diags.add(where, entry.origin.path,
                  fmt::format("{} is out of range: expected {} in [{}, {}]", to_string(v), spec->name,
                              spec->min ? fmt::format("{}", *spec->min) : std::string("-inf"),
                              spec->max ? fmt::format("{}", *spec->max) : std::string("inf")));
        ok = false;
      }
    }
    if (ok) out[name] = std::move(value);
  }
  for (const auto& spec : manifest.params) {
    if (worker.params.count(spec.name)) continue;
    if (spec.default_value) {
      out[spec.name] = *spec.default_value;
    } else if (spec.required) {
      diags.add(worker.origin.where.file.empty() ? SourceLocation{file, 0, 0} : worker.origin.where,
                worker.origin.path,
                fmt::format("worker \"{}\" (plugin {}) is missing required parameter \"{}\" ({}{}{})", worker.id,
                            manifest.name, spec.name, to_string(spec.type),
                            spec.description.empty() ? "" : ": ", spec.description));
    }
  }
  return Params(std::move(out));
}

}  // namespace st
