#include "backend/core/cron.h"

#include <gtest/gtest.h>

namespace st {
namespace {

std::string next(const char* expr, const char* after) {
  std::string error;
  auto c = CronExpr::parse(expr, &error);
  if (!c) return "error: " + error;
  auto n = c->next_after(*parse_iso(after));
  return n ? format_iso(*n) : "never";
}

TEST(Cron, NextFireTimes) {
  struct Case {
    const char *expr, *after, *expect;
  };
  const Case cases[] = {
      {"* * * * *", "2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"},
      {"* * * * *", "2024-01-01T00:00:30Z", "2024-01-01T00:01:00Z"},
      {"0 10 * * 1", "2024-01-01T10:00:00Z", "2024-01-08T10:00:00Z"},  // Mondays; strictly after
      {"0 10 * * MON", "2023-12-30T00:00:00Z", "2024-01-01T10:00:00Z"},
      {"*/15 * * * *", "2024-01-01T00:16:00Z", "2024-01-01T00:30:00Z"},
      {"5-20/5 3 * * *", "2024-01-01T03:15:00Z", "2024-01-01T03:20:00Z"},
      {"30/10 * * * *", "2024-01-01T00:51:00Z", "2024-01-01T01:30:00Z"},
      {"0 0 29 2 *", "2023-03-01T00:00:00Z", "2024-02-29T00:00:00Z"},  // leap day
      {"0 0 31 * *", "2024-04-01T00:00:00Z", "2024-05-31T00:00:00Z"},  // skips 30-day April
      {"0 12 1 JAN-MAR *", "2024-03-02T00:00:00Z", "2025-01-01T12:00:00Z"},
      {"0 0 13 * 5", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"},  // 13th OR Friday (Vixie)
      {"0 0 * * 7", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"},   // 7 = Sunday
      {"0 9-17 * * MON-FRI", "2024-01-05T17:30:00Z", "2024-01-08T09:00:00Z"},
      {"1,2,58 * * * *", "2024-01-01T00:02:00Z", "2024-01-01T00:58:00Z"},
      {"@hourly", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z"},
      {"@weekly", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"},
      {"@yearly", "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z"},
      {"0 0 1 * *", "2024-12-15T00:00:00Z", "2025-01-01T00:00:00Z"},
      {"59 23 31 12 *", "2024-12-31T23:59:00Z", "2025-12-31T23:59:00Z"},
      {"0 0 30 2 *", "2024-01-01T00:00:00Z", "never"},
  };
  for (const auto& c : cases) EXPECT_EQ(next(c.expr, c.after), c.expect) << c.expr << " after " << c.after;
}

TEST(Cron, MalformedExpressionsNameTheField) {
  struct Case {
    const char *expr, *expect;
  };
  const Case cases[] = {
      {"0 10 * *", "expected 5 fields"},
      {"0 0 10 * * 1", "seconds are not supported"},
      {"", "expected 5 fields"},
      {"60 * * * *", "field 1 (minute): \"60\" is out of range 0-59"},
      {"0 25 * * *", "field 2 (hour): \"25\" is out of range 0-23"},
      {"0 0 0 * *", "field 3 (day-of-month): \"0\" is out of range 1-31"},
      {"0 0 * 13 *", "field 4 (month): \"13\" is out of range 1-12"},
      {"0 0 * * 8", "field 5 (day-of-week)"},
      {"*/0 * * * *", "step must be at least 1"},
      {"*/x * * * *", "step \"x\" is not a number"},
      {"10-5 * * * *", "runs backwards"},
      {"1,,2 * * * *", "empty list element"},
      {"0 0 * FOO *", "\"FOO\" is not a valid value"},
      {"0 0 * * FUNDAY", "is not a valid value"},
      {"a b c d e", "field 1 (minute)"},
      {"@fortnightly", "unknown macro"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(CronExpr::parse(c.expr, &error)) << c.expr;
    EXPECT_NE(error.find(c.expect), std::string::npos) << c.expr << ": " << error;
  }
}

TEST(Cron, MatchesAgreesWithNextAfter) {
  auto c = CronExpr::parse("*/7 1-3 * * TUE,SAT");
  ASSERT_TRUE(c);
  Timestamp t = *parse_iso("2024-01-01T00:00:00Z");
  for (int i = 0; i < 50; ++i) {
    auto n = c->next_after(t);
    ASSERT_TRUE(n);
    EXPECT_TRUE(c->matches(*n));
    for (std::int64_t m = t.ns / kNsPerMinute + 1; m < n->ns / kNsPerMinute; m += 1)
      ASSERT_FALSE(c->matches(Timestamp{m * kNsPerMinute})) << format_iso(Timestamp{m * kNsPerMinute});
    t = *n;
  }
}

}  // namespace
}  // namespace st
