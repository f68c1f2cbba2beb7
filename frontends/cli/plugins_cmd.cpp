#include "frontends/cli/plugins_cmd.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace st {

namespace {

std::string capabilities_text(unsigned caps) {
  std::string out;
  if (caps & kCapStateful) out += "stateful ";
  if (caps & kCapEventAware) out += "event_aware ";
  if (caps & kCapJournaling) out += "journaling ";
  if (!out.empty()) out.pop_back();
  return out;
}

nlohmann::ordered_json to_json(const Manifest& m) {
  nlohmann::ordered_json j;
  j["name"] = m.name;
  j["version"] = m.version;
  j["category"] = to_string(m.category);
  j["subtype"] = m.subtype;
  j["description"] = m.description;
  auto caps = nlohmann::ordered_json::array();
  if (m.capabilities & kCapStateful) caps.push_back("stateful");
  if (m.capabilities & kCapEventAware) caps.push_back("event_aware");
  if (m.capabilities & kCapJournaling) caps.push_back("journaling");
  j["capabilities"] = caps;
  auto params = nlohmann::ordered_json::object();
  for (const auto& p : m.params) {
    nlohmann::ordered_json pj;
    pj["type"] = to_string(p.type);
    pj["required"] = p.required;
    if (p.default_value) pj["default"] = to_string(*p.default_value);
    if (p.min) pj["min"] = *p.min;
    if (p.max) pj["max"] = *p.max;
    if (!p.values.empty()) pj["values"] = p.values;
    pj["description"] = p.description;
    params[p.name] = pj;
  }
  j["params"] = params;
  j["events"] = {{"emits", m.emits}, {"consumes", m.consumes}};
  j["source"] = m.builtin ? "builtin" : m.file;
  return j;
}

}  // namespace

int plugins_list(const PluginRegistry& registry, bool json, std::ostream& out) {
  if (json) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto* m : registry.all()) arr.push_back(to_json(*m));
    out << arr.dump(2) << '\n';
    return 0;
  }
  out << fmt::format("{:<18} {:<12} {:<24} {:<8} {}\n", "NAME", "CATEGORY", "SUBTYPE", "VERSION", "CAPABILITIES");
  for (const auto* m : registry.all())
    out << fmt::format("{:<18} {:<12} {:<24} {:<8} {}{}\n", m->name, to_string(m->category), m->subtype, m->version,
                       capabilities_text(m->capabilities), m->builtin ? "" : "  (user: " + m->file + ")");
  out << fmt::format("{} plugins; `s1mpletrader plugins show NAME` for parameters\n", registry.size());
  return 0;
}

int plugins_show(const PluginRegistry& registry, const std::string& name, bool json, std::ostream& out,
                 std::ostream& err) {
  const Manifest* m = registry.find(name);
  if (m == nullptr) {
    std::string msg = fmt::format("error: unknown plugin \"{}\"", name);
    if (auto near = closest_match(name, registry.names()); !near.empty()) msg += fmt::format(" (did you mean \"{}\"?)", near);
    err << msg << '\n';
    return 2;
  }
  if (json) {
    out << to_json(*m).dump(2) << '\n';
    return 0;
  }
  out << fmt::format("{} {} — {} / {}\n", m->name, m->version, to_string(m->category), m->subtype);
  if (!m->description.empty()) out << "  " << m->description << '\n';
  out << fmt::format("  capabilities: {}\n", m->capabilities ? capabilities_text(m->capabilities) : "none");
  out << fmt::format("  source: {}\n", m->builtin ? "built-in" : m->file);
  out << "  params:\n";
  if (m->params.empty()) out << "    (none)\n";
  for (const auto& p : m->params) {
    std::string constraint;
    if (p.min || p.max)
      constraint = fmt::format(" in [{}, {}]", p.min ? fmt::format("{}", *p.min) : "-inf",
                               p.max ? fmt::format("{}", *p.max) : "inf");
    if (!p.values.empty()) {
      constraint = " one of ";
      for (std::size_t i = 0; i < p.values.size(); ++i) constraint += (i ? ", " : "") + p.values[i];
    }
    out << fmt::format("    {:<22} {:<11}{}{}{}\n", p.name, to_string(p.type),
                       p.required ? " required" : p.default_value ? " default " + to_string(*p.default_value) : "",
                       constraint, p.description.empty() ? "" : "  — " + p.description);
  }
  if (!m->emits.empty() || !m->consumes.empty()) {
    std::string emits, consumes;
    for (const auto& e : m->emits) emits += (emits.empty() ? "" : ", ") + e;
    for (const auto& e : m->consumes) consumes += (consumes.empty() ? "" : ", ") + e;
    out << fmt::format("  events: emits [{}], consumes [{}]\n", emits, consumes);
  }
  return 0;
}

}  // namespace st
