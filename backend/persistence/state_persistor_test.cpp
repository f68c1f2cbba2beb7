#include "backend/persistence/state_persistor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "backend/core/diagnostics.h"

namespace st {
namespace {
namespace fs = std::filesystem;

TEST(JsonStatePersistor, SavesAtomicallyAndLoadsBack) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "state_test";
  fs::remove_all(dir);
  JsonStatePersistor p(dir.string());
  EXPECT_FALSE(p.load("link.trailing_stop").has_value());
  nlohmann::ordered_json s = {{"best", 101.5}, {"trades", {"a", "b"}}};
  p.save("link.trailing_stop", s);
  EXPECT_FALSE(fs::exists(p.path_of("link.trailing_stop") + ".tmp"));
  JsonStatePersistor again(dir.string());
  EXPECT_EQ(again.load("link.trailing_stop"), s);
  s["best"] = 102;
  again.save("link.trailing_stop", s);
  EXPECT_EQ(p.load("link.trailing_stop"), s);
}

TEST(JsonStatePersistor, KeysWithPathCharactersStayInTheDirectory) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "state_test_keys";
  fs::remove_all(dir);
  JsonStatePersistor p(dir.string());
  p.save("../escape/x", {{"v", 1}});
  EXPECT_EQ(fs::path(p.path_of("../escape/x")).parent_path(), dir);
  EXPECT_EQ(p.load("../escape/x")->at("v"), 1);
}

TEST(JsonStatePersistor, CorruptStateIsAnErrorNamingTheFile) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "state_test_corrupt";
  fs::remove_all(dir);
  JsonStatePersistor p(dir.string());
  std::ofstream(p.path_of("k")) << "{\"v\": ";
  try {
    p.load("k");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.path_of("k")), std::string::npos);
  }
}

TEST(MemoryStatePersistor, KeepsTheLastSave) {
  MemoryStatePersistor p;
  p.save("a", {{"x", 1}});
  p.save("a", {{"x", 2}});
  EXPECT_EQ(p.load("a")->at("x"), 2);
  EXPECT_EQ(p.saves(), 2u);
  EXPECT_FALSE(p.load("b"));
}

}  // namespace
}  // namespace st

#include "backend/persistence/persistor_factory.h"

namespace st {
namespace {

TEST(PersistorFactory, BacktestsKeepStateInMemoryPaperAndLiveOnDisk) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "persistor_factory";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto bt = PersistorFactory::create(config::Environment::kBacktest, dir.string());
  EXPECT_NE(dynamic_cast<MemoryStatePersistor*>(bt.state.get()), nullptr);
  bt.journal->append("{\"seq\":1}\n");
  bt.journal->flush();
  EXPECT_TRUE(fs::exists(dir / "journal.jsonl"));
  auto live = PersistorFactory::create(config::Environment::kLive, dir.string());
  EXPECT_NE(dynamic_cast<JsonStatePersistor*>(live.state.get()), nullptr);
  live.journal->append("{\"seq\":2}\n");  // appended and synced at once, not truncated
  std::ifstream in(dir / "journal.jsonl");
  std::string a, b;
  std::getline(in, a);
  std::getline(in, b);
  EXPECT_EQ(a, "{\"seq\":1}");
  EXPECT_EQ(b, "{\"seq\":2}");
}

}  // namespace
}  // namespace st
