// BacktestEnvironment: the per-bar steps and events in their order, the per-bar and per-batch
// callbacks, and IEventHandler's routes (no taker, one taker, several takers).
#include "backend/execution/backtest_environment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backend/execution/test_desk.h"

namespace st {
namespace {

// An IEventHandler with takers for the chosen events; it records what reaches it and by which
// route (sole: a taker's own call; dispatch: the call an implementation routes several takers to).
class Recorder final : public IEventHandler {
 public:
  void take(std::size_t index, bool several) {
    if (several)
      set_route(index, [](void* o, const Event& e) { static_cast<Recorder*>(o)->seen(e, "dispatch"); }, this);
    else
      set_route(index, [](void* o, const Event& e) { static_cast<Recorder*>(o)->seen(e, "sole"); }, this);
  }
  std::vector<std::string> log;

 private:
  void seen(const Event& e, const char* route) {
    log.push_back(std::string(kEventNames[e.index()]) + "/" + route);
  }
};

std::vector<Bar> bars(std::size_t n) {
  std::vector<Bar> v;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = 100.0 + static_cast<double>(i % 7);
    v.push_back(Bar{Timestamp{static_cast<std::int64_t>(i + 5) * kNsPerMinute}, p, p + 1, p - 1, p, 10});
  }
  return v;
}

struct Replay {
  explicit Replay(std::size_t n) : source(bars(n)) {}
  VectorBarSource source;
  DeskParts parts{DeskSettings{}, kNsPerMinute};
  Recorder handler;
  BacktestEnvironment env{source, parts.ctx, parts.desk, parts.ledger, handler};
};

constexpr std::size_t kReady = event_index<events::ContextReady>();
constexpr std::size_t kClosed = event_index<events::BarClosed>();
constexpr std::size_t kLedger = event_index<events::LedgerStateChanged>();

TEST(BacktestEnvironment, PublishesTheBarsEventsInOrderToTheirTakers) {
  Replay r(3);
  r.handler.take(kReady, false);
  r.handler.take(kLedger, true);  // BarClosed has no taker: published, delivered to nobody
  std::vector<std::int64_t> seen;
  const auto n = r.env.run([&](const TradingContext& c) {
    seen.push_back(c.bar_index());
    r.handler.log.push_back("on_bar");
  });
  EXPECT_EQ(n, 3);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2}));
  const std::vector<std::string> one = {"ContextReady/sole", "LedgerStateChanged/dispatch", "on_bar"};
  std::vector<std::string> want;
  for (int i = 0; i < 3; ++i) want.insert(want.end(), one.begin(), one.end());
  EXPECT_EQ(r.handler.log, want);
  EXPECT_EQ(r.handler.published(kReady), 3u);
  EXPECT_EQ(r.handler.published(kClosed), 3u);
  EXPECT_EQ(r.handler.published(kLedger), 3u);
  EXPECT_EQ(r.env.first_time().ns, 5 * kNsPerMinute);
}

TEST(BacktestEnvironment, CallsBackOncePerBatchWhenNotEveryBar) {
  Replay r(600);  // batches of 256: 256, 256, 88
  r.handler.take(kClosed, false);
  std::vector<std::int64_t> seen;
  const auto n = r.env.run([&](const TradingContext& c) { seen.push_back(c.bar_index()); }, false);
  EXPECT_EQ(n, 600);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{255, 511, 599}));
  EXPECT_EQ(r.handler.log.size(), 600u);  // the events still come on every bar
  EXPECT_EQ(r.handler.published(kReady), 600u);
}

// An error on the bar's path that does not say where it happened (the desk's, the ledger's, a
// handler's own) leaves the environment naming the bar; one that does (a failing worker's) is
// passed on as it is.
class Thrower final : public IEventHandler {
 public:
  explicit Thrower(bool names_bar) : names_bar_(names_bar) {
    set_route(event_index<events::BarClosed>(), [](void* o, const Event& e) { static_cast<Thrower*>(o)->take(e); },
              this);
  }

 private:
  void take(const Event& e) {
    const auto* closed = std::get_if<events::BarClosed>(&e);
    if (closed == nullptr || closed->context->bar_index() != 2) return;
    if (names_bar_) throw BarError("worker \"w\" failed at bar 2 (...): boom");
    throw Error("decimal overflow: boom");
  }
  bool names_bar_;
};

TEST(BacktestEnvironment, AnErrorOnABarSaysWhichBar) {
  for (const bool names_bar : {false, true}) {
    VectorBarSource source(bars(5));
    DeskParts parts{DeskSettings{}, kNsPerMinute};
    Thrower handler(names_bar);
    BacktestEnvironment env{source, parts.ctx, parts.desk, parts.ledger, handler};
    try {
      env.run([](const TradingContext&) {}, true);
      FAIL() << "no error";
    } catch (const BarError& e) {
      EXPECT_EQ(std::string(e.what()), names_bar ? "worker \"w\" failed at bar 2 (...): boom"
                                                 : "at bar 2 (1970-01-01T00:07:00Z): decimal overflow: boom");
    }
  }
}

}  // namespace
}  // namespace st
