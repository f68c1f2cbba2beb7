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

TEST(StateFile, EveryTruncationAndEveryByteFlipIsDetected) {
  const nlohmann::ordered_json s = {{"cash", "10000.00"}, {"positions", {{{"size", "3"}, {"entry", "101.25"}}}}};
  const std::string text = encode_state_file(s);
  ASSERT_EQ(decode_state_file(text), s);
  for (std::size_t n = 0; n < text.size(); ++n) {
    std::string why;
    EXPECT_FALSE(decode_state_file(text.substr(0, n), &why)) << "prefix of " << n << " bytes accepted";
    EXPECT_FALSE(why.empty());
  }
  for (std::size_t i = 0; i < text.size() - 1; ++i) {  // the final '\n' is the file's end
    std::string damaged = text;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    const auto decoded = decode_state_file(damaged);
    EXPECT_TRUE(!decoded || *decoded == s) << "flip at byte " << i << " gave a different state";
    EXPECT_FALSE(decoded && i >= text.find("\"state\":") + 8) << "flip in the state at byte " << i << " accepted";
  }
}

TEST(JsonStatePersistor, RecoveryPromotesACompleteTempFileAndDiscardsATornOne) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "state_test_recovery";
  fs::remove_all(dir);
  {
    JsonStatePersistor p(dir.string());
    p.save("a", {{"v", 1}});
    p.save("b", {{"v", 1}});
  }
  // A crash after fsync, before rename: the temp file is whole.
  const std::string whole = encode_state_file({{"v", 2}});
  std::ofstream(dir / "a.json.tmp", std::ios::binary) << whole;
  // A crash during the write: the temp file is torn.
  std::ofstream(dir / "b.json.tmp", std::ios::binary) << whole.substr(0, whole.size() / 2);
  JsonStatePersistor p(dir.string());
  EXPECT_EQ(p.load("a")->at("v"), 2);
  EXPECT_EQ(p.load("b")->at("v"), 1);  // the torn write never became the state
  EXPECT_FALSE(fs::exists(dir / "a.json.tmp"));
  EXPECT_FALSE(fs::exists(dir / "b.json.tmp"));
  ASSERT_EQ(p.recovery_log().size(), 2u);
  EXPECT_NE(p.recovery_log()[0].find("promoted"), std::string::npos);
  EXPECT_NE(p.recovery_log()[1].find("discarded"), std::string::npos);
  EXPECT_NE(p.recovery_log()[1].find("torn"), std::string::npos) << p.recovery_log()[1];
}

TEST(JsonStatePersistor, ADamagedStateFileIsRefusedNotTrusted) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "state_test_damaged";
  fs::remove_all(dir);
  JsonStatePersistor p(dir.string());
  p.save("k", {{"cash", "100.00"}});
  std::string text = encode_state_file({{"cash", "100.00"}});
  text[text.find("100.00")] = '9';  // still valid JSON, but not what was written
  std::ofstream(p.path_of("k"), std::ios::binary) << text;
  try {
    p.load("k");
    FAIL() << "a damaged state was loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
}

TEST(MemoryStatePersistor, UpdatesInPlaceAndFollowsShapeChanges) {
  MemoryStatePersistor p;
  nlohmann::ordered_json s = {{"best_close", {{"a", 1.5}, {"b", 2.5}}}, {"note", "x"}, {"list", {1, 2}}};
  p.save("k", s);
  s["best_close"]["a"] = 1.75;  // same shape: updated in place
  s["note"] = "a longer note than the small-string buffer holds";
  p.save("k", s);
  EXPECT_EQ(*p.load("k"), s);
  s["best_close"].erase("a");  // another shape: replaced
  s["best_close"]["c"] = 9.0;
  s["list"].push_back(3);
  p.save("k", s);
  EXPECT_EQ(*p.load("k"), s);
  s = {{"other", true}};
  p.save("k", s);
  EXPECT_EQ(*p.load("k"), s);
  EXPECT_EQ(p.saves(), 4u);
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

TEST(PersistorFactory, BacktestsKeepStateInTheWorkersPaperAndLiveOnDisk) {
  const fs::path dir = fs::path(ST_BINARY_DIR) / "persistor_factory";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto bt = PersistorFactory::create(config::Environment::kBacktest, dir.string());
  auto* in_workers = dynamic_cast<BacktestStatePersistor*>(bt.state.get());
  ASSERT_NE(in_workers, nullptr);
  // Commits are counted; nothing is read back (a backtest's workers start from their initial
  // state, also when a killed run is resumed: it replays from the first bar).
  bt.state->save("worker", nlohmann::ordered_json{{"x", 1}});
  EXPECT_EQ(in_workers->saves(), 1u);
  EXPECT_FALSE(bt.state->load("worker").has_value());
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
