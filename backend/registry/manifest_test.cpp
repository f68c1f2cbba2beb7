#include "backend/registry/manifest.h"

#include <gtest/gtest.h>

#include "backend/registry/registry.h"
#include "backend/yaml/reader.h"

namespace st {
namespace {

std::optional<Manifest> parse(const std::string& text, Diagnostics& diags) {
  auto doc = yaml::load_string(text, "manifest.yaml", diags);
  if (!doc) return std::nullopt;
  return parse_manifest(*doc, diags);
}

const char* kGood = R"(name: demo
version: 1.2.3
category: context
subtype: INDICATOR_CALCULATION
description: a demo
capabilities: [stateful]
params:
  period: {type: int, default: 20, min: 1, max: 500}
  source: {type: enum, values: [open, close], default: close}
  output: {type: string, required: true}
  ratio: {type: float, default: 0.5, min: 0, max: 1}
  cols: {type: string_list, default: [a, b]}
)";

TEST(Manifest, ParsesEveryField) {
  Diagnostics diags;
  auto m = parse(kGood, diags);
  ASSERT_TRUE(m) << diags.to_string();
  EXPECT_EQ(m->name, "demo");
  EXPECT_EQ(m->category, WorkerCategory::kContext);
  EXPECT_EQ(m->capabilities, static_cast<unsigned>(kCapStateful));
  ASSERT_EQ(m->params.size(), 5u);
  EXPECT_EQ(std::get<std::int64_t>(*m->find_param("period")->default_value), 20);
  EXPECT_TRUE(m->find_param("output")->required);
  EXPECT_EQ(m->find_param("source")->values.size(), 2u);
}

struct BadCase {
  std::string from, to;   // text substitution applied to kGood
  std::string expect;     // "line:col: path: keyword"
};

TEST(Manifest, EachProblemIsReportedWithPositionAndPath) {
  const std::vector<BadCase> cases = {
      {"category: context", "category: contxt", "3:11: category: \"contxt\" is not one of"},
      {"subtype: INDICATOR_CALCULATION", "subtype: INDICATOR_CALC", "4:10: subtype: \"INDICATOR_CALC\" is not a context subtype"},
      {"subtype: INDICATOR_CALCULATION", "subtype: MOMENTUM_SIGNAL", "is a subtype of the opportunity category"},
      {"version: 1.2.3", "version: one", "2:10: version: \"one\" is not a semantic version"},
      {"name: demo", "name: Demo-1", "1:7: name:"},
      {"[stateful]", "[statefull]", "6:16: capabilities[0]: \"statefull\" is not one of"},
      {"type: int, default: 20", "type: integer, default: 20", "params.period.type"},
      {"default: 20, min: 1", "default: 0, min: 1", "params.period.default: default 0 is outside"},
      {"default: 20, min: 1", "default: x, min: 1", "params.period.default: expected"},
      {"values: [open, close], default: close", "values: [open, close], default: high", "is not one of the values"},
      {"type: enum, values: [open, close], ", "type: enum, ", "missing required key \"values\""},
      {"required: true", "required: true, default: x", "a required parameter cannot have a default"},
      {"description: a demo", "description: a demo\ncolour: red", "colour"},
      {"capabilities: [stateful]", "capabilities: []\nevents: {emits: [TICK]}", "event_aware"},
      {"capabilities: [stateful]", "capabilities: [event_aware]\nevents: {emits: [tick]}", "not an event name"},
      {"min: 0, max: 1", "min: 2, max: 1", "min 2 is above max 1"},
  };
  for (const auto& c : cases) {
    std::string text = kGood;
    const auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    Diagnostics diags;
    auto m = parse(text, diags);
    EXPECT_FALSE(m) << c.to;
    EXPECT_NE(diags.to_string().find(c.expect), std::string::npos) << "case " << c.to << "\n" << diags.to_string();
  }
}

TEST(Manifest, ResolveParamsFillsDefaultsAndReportsEveryProblem) {
  Diagnostics diags;
  auto m = parse(kGood, diags);
  ASSERT_TRUE(m);
  config::WorkerConfig w;
  w.plugin = "demo";
  w.id = "d";
  w.origin = {{"bp.yaml", 7, 5}, "workforce.context[0]"};
  auto entry = [](ParamValue v, int line) {
    return config::ParamEntry{std::move(v), {{"bp.yaml", line, 15}, "workforce.context[0].params.x"}};
  };
  w.params["output"] = entry(std::string("ema"), 8);
  w.params["ratio"] = entry(std::int64_t{1}, 9);  // an int where a float is expected is fine
  Params ok = resolve_params(*m, w, "bp.yaml", diags);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
  EXPECT_EQ(ok.get_int("period"), 20);
  EXPECT_DOUBLE_EQ(ok.get_double("ratio"), 1.0);
  EXPECT_EQ(ok.get_list("cols").size(), 2u);

  w.params.erase("output");
  w.params["perod"] = entry(std::int64_t{5}, 10);
  w.params["period"] = entry(std::int64_t{0}, 11);
  w.params["source"] = entry(std::string("hgh"), 12);
  w.params["ratio"] = entry(std::string("half"), 13);
  resolve_params(*m, w, "bp.yaml", diags);
  const std::string all = diags.to_string();
  EXPECT_EQ(diags.size(), 5u) << all;
  EXPECT_NE(all.find("bp.yaml:10:15"), std::string::npos);
  EXPECT_NE(all.find("did you mean \"period\""), std::string::npos) << all;
  EXPECT_NE(all.find("out of range"), std::string::npos);
  EXPECT_NE(all.find("\"hgh\" is not one of open, close"), std::string::npos) << all;
  EXPECT_NE(all.find("expected a number, found a string"), std::string::npos) << all;
  EXPECT_NE(all.find("bp.yaml:7:5: workforce.context[0]: worker \"d\" (plugin demo) is missing required parameter \"output\""),
            std::string::npos) << all;
}

TEST(PluginRegistry, EveryBuiltInManifestParsesAndHasCode) {
  Diagnostics diags;
  auto reg = PluginRegistry::load({}, diags);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
  // The registry of a backend-only binary has no built-in plugins linked in; the plugin test
  // binary checks the full set. Here: an empty registry is valid and answers lookups.
  EXPECT_EQ(reg.find("no_such_plugin"), nullptr);
  EXPECT_EQ(reg.factory("no_such_plugin"), nullptr);
}

}  // namespace
}  // namespace st
