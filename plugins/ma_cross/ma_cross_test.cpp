#include "plugins/ma_cross/ma_cross.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

struct Collect final : SignalSink {
  std::vector<Signal> got;
  void emit(Direction d, std::string type, double, Details details) override {
    got.push_back(Signal{{}, {}, d, type, "", 1.0, false, std::move(details)});
  }
  void emit_exit(Direction d, std::string type, Details details) override {
    got.push_back(Signal{{}, {}, d, type, "", 1.0, true, std::move(details)});
  }
};

// Context columns "f" and "s" are driven by the test through a column writer.
class CrossTest : public ::testing::Test {
 protected:
  void build(const std::string& direction) {
    f_ = h_.schema().add_column("f", "test");
    s_ = h_.schema().add_column("s", "test");
    cross_ = &h_.add<MaCross>(WorkerCategory::kOpportunity, "ma_cross",
                              {{"fast", std::string("f")}, {"slow", std::string("s")}, {"direction", direction}});
    h_.start();
  }
  std::vector<Signal> step(double fast, double slow) {
    h_.push_close(1);
    h_.ctx().set(f_, fast);
    h_.ctx().set(s_, slow);
    Collect c;
    cross_->process(h_.ctx(), c);
    return c.got;
  }
  testing::Harness h_;
  ColumnId f_ = 0, s_ = 0;
  MaCross* cross_ = nullptr;
};

TEST_F(CrossTest, UpCrossOpensAndDownCrossExitsALongOnlyStrategy) {
  build("long");
  EXPECT_TRUE(step(1, 2).empty());  // seeds the last non-zero difference
  auto up = step(3, 2);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].direction, Direction::kLong);
  EXPECT_FALSE(up[0].exit);
  EXPECT_TRUE(step(4, 2).empty());
  auto down = step(1, 2);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_TRUE(down[0].exit);
  EXPECT_EQ(down[0].direction, Direction::kLong);
}

TEST_F(CrossTest, ATouchIsNotACrossButACrossThroughZeroIs) {
  build("long");
  step(1, 2);
  EXPECT_TRUE(step(2, 2).empty());   // touch: difference 0
  EXPECT_TRUE(step(1, 2).empty());   // back below: no cross
  EXPECT_TRUE(step(2, 2).empty());
  EXPECT_EQ(step(3, 2).size(), 1u);  // through zero: a cross on the first strict bar
}

TEST_F(CrossTest, SeedingBarNeverSignalsEvenWhenAboveTheSlow) {
  build("both");
  EXPECT_TRUE(step(3, 2).empty());
  auto down = step(1, 2);
  ASSERT_EQ(down.size(), 2u);  // exit longs, then open a short
  EXPECT_TRUE(down[0].exit);
  EXPECT_EQ(down[1].direction, Direction::kShort);
}

TEST(MaCrossPlugin, UnknownColumnIsABuildError) {
  testing::Harness h;
  try {
    h.add<MaCross>(WorkerCategory::kOpportunity, "ma_cross", {{"fast", std::string("ema_fsat")}, {"slow", std::string("close")}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ema_fsat"), std::string::npos);
  }
}

}  // namespace
}  // namespace st::plugins
