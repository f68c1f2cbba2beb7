#include "backend/yaml/reader.h"

#include <gtest/gtest.h>

namespace st::yaml {
namespace {

struct Settings {
  std::int64_t threads = 0;
  double ratio = 0;
  bool on = false;
  std::string name;
  std::vector<std::string> list;
  enum class Mode { kA, kB } mode = Mode::kA;
};

Diagnostics read_settings(const std::string& text, Settings& s) {
  Diagnostics diags;
  auto doc = load_string(text, "s.yaml", diags);
  if (!doc) return diags;
  Reader r(doc->file, diags);
  MapView m(r, doc->root, "");
  if (m.required("threads", s.threads)) check_range(r, m.node("threads"), "threads", s.threads, 0, 256);
  m.optional("ratio", s.ratio);
  m.optional("on", s.on);
  m.optional("name", s.name);
  m.optional("list", s.list);
  m.optional_enum("mode", s.mode, EnumTable<Settings::Mode>{{"alpha", Settings::Mode::kA}, {"beta", Settings::Mode::kB}});
  m.finish();
  return diags;
}

TEST(YamlReader, ReadsTypedValues) {
  Settings s;
  auto diags = read_settings("threads: 4\nratio: 0.5\non: true\nname: x\nlist: [a, b]\nmode: beta\n", s);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
  EXPECT_EQ(s.threads, 4);
  EXPECT_EQ(s.ratio, 0.5);
  EXPECT_TRUE(s.on);
  EXPECT_EQ(s.list.size(), 2u);
  EXPECT_EQ(s.mode, Settings::Mode::kB);
}

TEST(YamlReader, EveryProblemHasFileLineColumnAndPath) {
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {"threads: [1\n", "s.yaml:2:1: YAML syntax error"},
      {"threads: 1\nthreads: 2\n", "s.yaml:2:1: threads: duplicate key \"threads\" (first defined at line 1"},
      {"threads: 1\ntreads: 2\n", "s.yaml:2:1: treads: unknown key \"treads\" (did you mean \"threads\"?)"},
      {"ratio: 1\n", "s.yaml:1:1: threads: missing required key \"threads\""},
      {"threads: many\n", "s.yaml:1:10: threads: expected an integer, found \"many\""},
      {"threads: 1.5\n", "s.yaml:1:10: threads: expected an integer, found \"1.5\""},
      {"threads: 999\n", "s.yaml:1:10: threads: must be in [0, 256], was 999"},
      {"threads: 1\nratio: fast\n", "s.yaml:2:8: ratio: expected a number, found \"fast\""},
      {"threads: 1\nratio: .nan\n", "s.yaml:2:8: ratio: expected a number, found \".nan\""},
      {"threads: 1\non: maybe\n", "s.yaml:2:5: on: expected a boolean (true or false), found \"maybe\""},
      {"threads: 1\nlist: a\n", "s.yaml:2:7: list: expected a sequence, found \"a\""},
      {"threads: 1\nlist: [a, {b: 1}]\n", "s.yaml:2:11: list[1]: expected a string, found a mapping"},
      {"threads: 1\nmode: bta\n", "s.yaml:2:7: mode: \"bta\" is not one of alpha, beta (did you mean \"beta\"?)"},
      {"- 1\n- 2\n", "s.yaml:1:1: expected a mapping, found a sequence"},
      {"threads: 99999999999999999999\n", "integer out of range"},
  };
  for (const auto& c : cases) {
    Settings s;
    const auto diags = read_settings(c.text, s);
    EXPECT_NE(diags.to_string().find(c.expect), std::string::npos) << c.text << "\n--> " << diags.to_string();
  }
}

TEST(YamlReader, ReportsAllErrorsOfADocumentInOneGo) {
  Settings s;
  const auto diags = read_settings("threads: x\nratio: y\ncolour: red\n", s);
  EXPECT_EQ(diags.size(), 3u) << diags.to_string();
}

TEST(YamlReader, DuplicateKeysAreFoundAtAnyDepth) {
  Diagnostics diags;
  load_string("a:\n  b:\n    - {c: 1, c: 2}\n", "d.yaml", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags.to_string().find("d.yaml:3:14: "), std::string::npos) << diags.to_string();
}

TEST(YamlReader, OverridesEditTheTreeOrSayWhyNot) {
  Diagnostics diags;
  auto doc = load_string("a:\n  list:\n    - {x: 1}\n    - {x: 2}\n", "o.yaml", diags);
  ASSERT_TRUE(doc);
  EXPECT_EQ(apply_override(doc->root, "a.list[1].x", "30"), "");
  EXPECT_EQ(doc->root["a"]["list"][1]["x"].as<int>(), 30);
  EXPECT_EQ(apply_override(doc->root, "a.new.key", "[1, 2]"), "");
  EXPECT_EQ(doc->root["a"]["new"]["key"].size(), 2u);
  EXPECT_NE(apply_override(doc->root, "a.list[5].x", "1").find("has no element [5]"), std::string::npos);
  EXPECT_NE(apply_override(doc->root, "a..b", "1").find("malformed key path"), std::string::npos);
  EXPECT_NE(apply_override(doc->root, "a.list[x]", "1").find("malformed index"), std::string::npos);
  EXPECT_NE(apply_override(doc->root, "a.b", "[1").find("is not valid YAML"), std::string::npos);
}

TEST(YamlReader, MissingFileIsADiagnosticNotACrash) {
  Diagnostics diags;
  EXPECT_FALSE(load_file("/nonexistent/x.yaml", diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags.to_string().find("/nonexistent/x.yaml"), std::string::npos);
  EXPECT_NE(diags.to_string().find("cannot read file: No such file or directory"), std::string::npos)
      << diags.to_string();
  // A folder where a file should be says so (it read as an empty document before).
  Diagnostics folder;
  EXPECT_FALSE(load_file(ST_BINARY_DIR, folder));
  EXPECT_NE(folder.to_string().find("cannot read file: is a folder"), std::string::npos) << folder.to_string();
}

}  // namespace
}  // namespace st::yaml
