#include <gtest/gtest.h>

#include <set>

#include "backend/core/diagnostics.h"
#include "backend/core/ids.h"
#include "backend/core/time.h"

namespace st {
namespace {

TEST(Ids, SeededGeneratorIsDeterministicAndWritesVersion4Uuids) {
  IdGenerator a(42), b(42), c(43);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const Uuid x = a.next();
    EXPECT_EQ(x, b.next());
    const std::string text = x.to_string();
    ASSERT_EQ(text.size(), 36u);
    EXPECT_EQ(text[14], '4');
    EXPECT_TRUE(text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b') << text;
    EXPECT_EQ(Uuid::parse(text), x);
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(IdGenerator(42).next(), c.next());
  EXPECT_EQ((Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL}).to_string(), "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ((Uuid{~0ULL, 0x00ff00ff00ff00ffULL}).to_string(), "ffffffff-ffff-ffff-00ff-00ff00ff00ff");
  EXPECT_FALSE(Uuid::parse("not-a-uuid"));
  EXPECT_FALSE(Uuid::parse("0123456789abcdef0123456789abcdef0123"));
  EXPECT_EQ(stable_hash("trend_synth"), stable_hash("trend_synth"));
  EXPECT_NE(stable_hash("a"), stable_hash("b"));
}

TEST(Time, FormatsAndParsesIso8601) {
  EXPECT_EQ(format_iso(Timestamp{}), "1970-01-01T00:00:00Z");
  const auto t = parse_iso("2024-02-29T13:45:07Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso(*t), "2024-02-29T13:45:07Z");
  EXPECT_EQ(parse_iso("2024-02-29 13:45:07"), t);
  EXPECT_EQ(parse_iso("2024-02-29T15:45:07+02:00"), t);
  EXPECT_EQ(format_iso(*parse_iso("2024-01-01T00:00:00.25Z")), "2024-01-01T00:00:00.25Z");
  EXPECT_EQ(format_iso(*parse_iso("1969-12-31T23:59:59Z")), "1969-12-31T23:59:59Z");
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z",
                          "2024-01-01T00:60:00Z", "2024/01/01", "2024-01-01T00:00:00Zjunk", "yesterday"})
    EXPECT_FALSE(parse_iso(bad)) << bad;
}

// The journal's writer of times keeps the last date: its text must be format_iso's for every
// time, in any order — the same day again, the next one, a jump back, fractions, before 1970,
// the last days a Timestamp holds.
TEST(Time, IsoTimeWriterWritesFormatIso) {
  IsoTimeWriter writer;
  std::uint64_t x = 88172645463325252ULL;
  const auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  std::int64_t t = 946684800LL * kNsPerSecond;
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t r = next();
    switch (r % 8) {
      case 0: t += kNsPerMinute; break;
      case 1: t += kNsPerDay - kNsPerSecond; break;
      case 2: t -= static_cast<std::int64_t>(r >> 20) % (400 * kNsPerDay); break;
      case 3: t = static_cast<std::int64_t>(r >> 3) % (1LL << 61) - (1LL << 60); break;  // fractions, far times
      case 4: t = t / kNsPerSecond * kNsPerSecond + static_cast<std::int64_t>(r >> 40) % kNsPerSecond; break;
      case 5: t = INT64_MAX - static_cast<std::int64_t>(r >> 20) % (2 * kNsPerDay); break;  // the last days (2262)
      case 6: t = t / kNsPerSecond * kNsPerSecond; break;
      default: t += kNsPerSecond * static_cast<std::int64_t>(r >> 50); break;
    }
    char a[48], b[48];
    const std::size_t na = writer.write(Timestamp{t}, a), nb = format_iso(Timestamp{t}, b);
    ASSERT_EQ(std::string_view(a, na), std::string_view(b, nb)) << "t = " << t;
  }
  char a[48];
  EXPECT_EQ(std::string_view(a, writer.write(Timestamp{0}, a)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(std::string_view(a, writer.write(Timestamp{kNsPerDay - kNsPerSecond}, a)), "1970-01-01T23:59:59Z");
  EXPECT_EQ(std::string_view(a, writer.write(Timestamp{kNsPerDay}, a)), "1970-01-02T00:00:00Z");
}

TEST(Time, CivilDaysRoundTrip) {
  for (std::int64_t z = -800000; z < 800000; z += 997) {
    int y;
    unsigned m, d;
    civil_from_days(z, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), z);
  }
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
}

TEST(Time, Timeframes) {
  EXPECT_EQ(parse_timeframe("1m"), kNsPerMinute);
  EXPECT_EQ(parse_timeframe("4h"), 4 * kNsPerHour);
  EXPECT_EQ(parse_timeframe("1d"), kNsPerDay);
  EXPECT_EQ(parse_timeframe("1w"), 7 * kNsPerDay);
  EXPECT_EQ(parse_timeframe("30s"), 30 * kNsPerSecond);
  for (const char* bad : {"", "m", "0m", "1x", "1.5h", "-1d", "99999999999999999999d"})
    EXPECT_FALSE(parse_timeframe(bad)) << bad;
}

TEST(Diagnostics, RendersFileLineColumnPathMessage) {
  Diagnostic d{{"config/platform.yaml", 3, 5}, "threads", "expected an int, found \"many\""};
  EXPECT_EQ(d.to_string(), "config/platform.yaml:3:5: threads: expected an int, found \"many\"");
  Diagnostic no_pos{{"f.yaml", 0, 0}, "", "empty file"};
  EXPECT_EQ(no_pos.to_string(), "f.yaml: empty file");
  EXPECT_EQ(edit_distance("treads", "threads"), 1u);
  EXPECT_EQ(closest_match("treads", {"threads", "seed", "data_dir"}), "threads");
  EXPECT_EQ(closest_match("zzzzzz", {"threads", "seed"}), "");
  Diagnostics all;
  all.add(d);
  all.add(no_pos);
  Error e(all);
  EXPECT_EQ(e.diagnostics().size(), 2u);
  EXPECT_NE(std::string(e.what()).find("empty file"), std::string::npos);
}

}  // namespace
}  // namespace st
