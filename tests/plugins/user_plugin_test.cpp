// A user plugin, built out of tree as a shared library, loads through the registry and runs;
// one built against another API version is refused by name.
#include <gtest/gtest.h>

#include "backend/assembly/worker_builder.h"
#include "backend/registry/registry.h"

namespace st {
namespace {

const std::string kRoot = ST_USER_PLUGINS;

struct Collect final : SignalSink {
  std::vector<Signal> signals;
  void emit(Direction d, std::string type, double strength, Details details) override {
    signals.push_back(Signal{{}, {}, d, std::move(type), "", strength, false, std::move(details)});
  }
  void emit_exit(Direction, std::string, Details) override {}
};

TEST(UserPlugin, LoadsFromAPluginDirectoryAndRunsLikeABuiltIn) {
  Diagnostics diags;
  auto registry = PluginRegistry::load({kRoot + "/good"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.to_string();
  const Manifest* m = registry.find("volume_spike");
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->builtin);
  EXPECT_EQ(m->category, WorkerCategory::kOpportunity);
  EXPECT_NE(registry.find("ema"), nullptr);  // built-ins are still there

  config::WorkerConfig wc;
  wc.plugin = "volume_spike";
  wc.id = "spike";
  wc.params["period"] = {std::int64_t{3}, {}};
  ContextSchema schema;
  InstrumentInfo instrument{"X", 2, 0, "USD", kNsPerDay};
  BindContext bind(schema, instrument);
  auto w = build_worker(registry, wc, WorkerCategory::kOpportunity, {}, bind, "bp.yaml");
  EXPECT_DOUBLE_EQ(w->params().get_double("factor"), 3.0);  // default from the user manifest
  TradingContext ctx(schema, instrument);
  Collect sink;
  auto& opp = dynamic_cast<OpportunityWorker&>(*w);
  const double volumes[] = {10, 10, 10, 50, 10};
  for (int i = 0; i < 5; ++i) {
    ctx.push(Bar{Timestamp::from_seconds(i * 86400), 10, 12, 9, 11, volumes[i]});
    opp.process(ctx, sink);
  }
  ASSERT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(sink.signals[0].signal_type, "volume_spike");
}

TEST(UserPlugin, AnotherApiMajorVersionIsRefusedByName) {
  Diagnostics diags;
  auto registry = PluginRegistry::load({kRoot + "/api99"}, diags);
  ASSERT_EQ(diags.size(), 1u);
  const std::string msg = diags.to_string();
  EXPECT_NE(msg.find("libvolume_spike.so"), std::string::npos) << msg;
  EXPECT_NE(msg.find("plugin API 99."), std::string::npos) << msg;
  EXPECT_EQ(registry.find("volume_spike"), nullptr);
}

TEST(UserPlugin, MissingDirectoryAndLibraryAreReported) {
  Diagnostics diags;
  PluginRegistry::load({kRoot + "/does-not-exist"}, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags.to_string().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace st
