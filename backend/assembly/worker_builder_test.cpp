// WorkerBuilder: manifest-driven construction, injection and the capability rules. The plugins
// here are test-only built-ins registered in this binary.
#include "backend/assembly/worker_builder.h"

#include <gtest/gtest.h>

#include "backend/api/plugin.h"
#include "backend/persistence/state_persistor.h"

namespace st {
namespace {

class Counter final : public ContextWorker, public Stateful {
 public:
  void bind(BindContext& ctx) override { col_ = ctx.schema().add_column(params().get_string("output"), info().id); }
  void process(TradingContext& ctx) override {
    const std::int64_t n = state().value("n", std::int64_t{0}) + 1;
    state()["n"] = n;
    commit_state();
    ctx.set(col_, static_cast<double>(n));
  }
  void on_state_restored() override { restored = true; }
  bool restored = false;

 private:
  ColumnId col_ = 0;
};

class Plain final : public ContextWorker {
 public:
  void process(TradingContext&) override {}
};

class Sneaky final : public ContextWorker, public Stateful {
 public:
  void process(TradingContext&) override {}
};

class Liar final : public OpportunityWorker {
 public:
  void process(const TradingContext&, SignalSink&) override {}
};

class Binder final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override { ctx.schema().require(params().get_string("input")); }
  void process(TradingContext&) override {}
};

ST_REGISTER_PLUGIN("t_counter", Counter);
ST_REGISTER_PLUGIN("t_plain", Plain);
ST_REGISTER_PLUGIN("t_sneaky", Sneaky);
ST_REGISTER_PLUGIN("t_liar", Liar);
ST_REGISTER_PLUGIN("t_binder", Binder);
const BuiltinManifestRegistration m1("t_counter", "t_counter.yaml", R"(name: t_counter
version: 1.0.0
category: context
subtype: INDICATOR_CALCULATION
capabilities: [stateful]
params:
  output: {type: string, required: true}
)");
const BuiltinManifestRegistration m2("t_plain", "t_plain.yaml", R"(name: t_plain
version: 1.0.0
category: context
subtype: INDICATOR_CALCULATION
capabilities: [journaling]
)");
const BuiltinManifestRegistration m3("t_sneaky", "t_sneaky.yaml", R"(name: t_sneaky
version: 1.0.0
category: context
subtype: INDICATOR_CALCULATION
)");
const BuiltinManifestRegistration m4("t_liar", "t_liar.yaml", R"(name: t_liar
version: 1.0.0
category: context
subtype: INDICATOR_CALCULATION
)");
const BuiltinManifestRegistration m5("t_binder", "t_binder.yaml", R"(name: t_binder
version: 1.0.0
category: context
subtype: INDICATOR_CALCULATION
params:
  input: {type: string, default: nope}
)");

class WorkerBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diags;
    registry_ = PluginRegistry::load({}, diags);
    ASSERT_TRUE(diags.empty()) << diags.to_string();
    services_.state = &state_;
    services_.state_key_prefix = "link.";
  }
  config::WorkerConfig worker(const std::string& plugin, std::map<std::string, ParamValue> params = {}) {
    config::WorkerConfig wc;
    wc.plugin = plugin;
    wc.id = plugin + "_1";
    wc.origin = {{"runs/bp.yaml", 12, 7}, "workforce.context[0]"};
    for (auto& [k, v] : params) wc.params[k] = {v, {{"runs/bp.yaml", 13, 17}, "workforce.context[0].params." + k}};
    return wc;
  }
  std::string error_of(const config::WorkerConfig& wc, WorkerCategory c = WorkerCategory::kContext) {
    try {
      build_worker(registry_, wc, c, services_, bind_, "runs/bp.yaml");
    } catch (const Error& e) {
      return e.diagnostics().to_string();
    }
    return "";
  }
  PluginRegistry registry_;
  MemoryStatePersistor state_;
  WorkerServices services_;
  ContextSchema schema_;
  InstrumentInfo instrument_{"X", 2, 0, "USD", kNsPerDay};
  BindContext bind_{schema_, instrument_};
};

TEST_F(WorkerBuilderTest, BuildsInjectsStateAndRestoresIt) {
  auto w = build_worker(registry_, worker("t_counter", {{"output", std::string("n")}}), WorkerCategory::kContext,
                        services_, bind_, "runs/bp.yaml");
  EXPECT_EQ(w->info().id, "t_counter_1");
  EXPECT_EQ(w->info().subtype, "INDICATOR_CALCULATION");
  TradingContext ctx(schema_, instrument_);
  ctx.push(Bar{});
  dynamic_cast<ContextWorker&>(*w).process(ctx);
  dynamic_cast<ContextWorker&>(*w).process(ctx);
  EXPECT_EQ(state_.load("link.t_counter_1")->at("n"), 2);
  // A second build (a restart) finds the saved state.
  ContextSchema schema2;
  BindContext bind2(schema2, instrument_);
  auto again = build_worker(registry_, worker("t_counter", {{"output", std::string("n")}}), WorkerCategory::kContext,
                            services_, bind2, "runs/bp.yaml");
  EXPECT_TRUE(dynamic_cast<Counter&>(*again).restored);
}

TEST_F(WorkerBuilderTest, UndeclaredCapabilityIsRefused) {
  const auto err = error_of(worker("t_sneaky"));
  EXPECT_NE(err.find("runs/bp.yaml:12:7: workforce.context[0]: plugin \"t_sneaky\" implements the stateful capability "
                     "but its manifest does not declare it"),
            std::string::npos)
      << err;
}

TEST_F(WorkerBuilderTest, DeclaredButMissingCapabilityIsRefused) {
  EXPECT_NE(error_of(worker("t_plain")).find("declares the journaling capability but its code does not"),
            std::string::npos);
}

TEST_F(WorkerBuilderTest, CodeMustBeTheCategoryItsManifestSays) {
  EXPECT_NE(error_of(worker("t_liar")).find("its manifest says context but its code does not derive"),
            std::string::npos);
}

TEST_F(WorkerBuilderTest, WrongSectionUnknownPluginAndBadParams) {
  EXPECT_NE(error_of(worker("t_plain"), WorkerCategory::kThreat).find("is a context worker, not a threat worker"),
            std::string::npos);
  EXPECT_NE(error_of(worker("t_countr")).find("unknown plugin \"t_countr\" (did you mean \"t_counter\"?)"),
            std::string::npos);
  const auto err = error_of(worker("t_counter", {{"output", std::int64_t{3}}}));
  EXPECT_NE(err.find("runs/bp.yaml:13:17: workforce.context[0].params.output: expected a string"), std::string::npos)
      << err;
}

TEST_F(WorkerBuilderTest, BindErrorsNameTheWorker) {
  const auto err = error_of(worker("t_binder"));
  EXPECT_NE(err.find("worker \"t_binder_1\" (plugin t_binder)"), std::string::npos) << err;
  EXPECT_NE(err.find("nope"), std::string::npos) << err;
}

TEST_F(WorkerBuilderTest, StatefulWorkerWithoutAPersistorIsAnAssemblyError) {
  services_.state = nullptr;
  EXPECT_NE(error_of(worker("t_counter", {{"output", std::string("n")}})).find("no state persistor"),
            std::string::npos);
}

}  // namespace
}  // namespace st
