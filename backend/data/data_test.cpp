#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"
#include "backend/data/csv.h"
#include "backend/data/synth.h"

namespace st {
namespace {
namespace fs = std::filesystem;

const std::string kShared = ST_SHARED_DIR;

TEST(Csv, ReadsRealDataExactly) {
  const auto bars = read_csv_all(kShared + "/data/orcl-1995-2014.csv");
  ASSERT_EQ(bars.size(), 5036u);
  EXPECT_EQ(format_iso(bars.front().time), "1995-01-03T00:00:00Z");
  EXPECT_EQ(format_iso(bars.back().time), "2014-12-31T00:00:00Z");
  // Correctly rounded parsing: the same double as the text's shortest round trip.
  std::ifstream in(kShared + "/data/orcl-1995-2014.csv");
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, bars.front().close);
  const std::string close_text(buf, r.ptr);
  EXPECT_NE(first.find("," + close_text + ","), std::string::npos) << first << " vs " << close_text;
}

TEST(Csv, StreamsALargeMinuteFile) {
  auto source = open_csv(kShared + "/data/BTCUSDT-1m-2024-01-01_2024-06-30.csv");
  Bar b, prev;
  std::int64_t n = 0;
  while (source->next(b)) {
    if (n > 0) {
      ASSERT_GT(b.time, prev.time);
    }
    prev = b;
    ++n;
  }
  EXPECT_GT(n, 250000);
}

std::string error_of(const std::string& name, const std::string& text) {
  const fs::path p = fs::path(ST_BINARY_DIR) / "csv_cases" / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  try {
    read_csv_all(p.string());
  } catch (const Error& e) {
    const std::string msg = e.what();
    return msg.substr(msg.find(name) + name.size());  // ":line:col: ..."
  }
  return "accepted";
}

TEST(Csv, BadDataIsRefusedWithLineColumnAndReason) {
  const std::string h = "timestamp,open,high,low,close,volume\n";
  const std::string ok = "2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n";
  struct Case {
    std::string name, text, expect;
  };
  const std::vector<Case> cases = {
      {"header.csv", "time,open,high,low,close\n" + ok, ":1:25: header has 5 columns"},
      {"header2.csv", "timestamp,open,hi,low,close,volume\n" + ok, ":1:16: header column 3 is \"hi\", expected \"high\""},
      {"few.csv", h + "2024-01-01T00:00:00Z,1,2,0.5,1.5\n", ":2:33: 5 fields, expected 6"},
      {"many.csv", h + "2024-01-01T00:00:00Z,1,2,0.5,1.5,10,3\n", ":2:36: more than 6 fields"},
      {"number.csv", h + "2024-01-01T00:00:00Z,1,2,0.5,12.3x,10\n", ":2:30: close: expected a number, found \"12.3x\""},
      {"nan.csv", h + "2024-01-01T00:00:00Z,1,nan,0.5,1.5,10\n", ":2:24: high: expected a finite number"},
      {"negative.csv", h + "2024-01-01T00:00:00Z,-1,2,0.5,1.5,10\n", ":2:22: open: expected a value >= 0"},
      {"zero.csv", h + "2024-01-01T00:00:00Z,0,2,0.5,1.5,10\n", ":2:22: open: expected a price > 0"},
      {"highlow.csv", h + "2024-01-01T00:00:00Z,1,0.4,0.5,1.5,10\n", ":2:24: high: high 0.4 is below low 0.5"},
      {"highclose.csv", h + "2024-01-01T00:00:00Z,1,1.2,0.5,1.5,10\n", ":2:24: high: high 1.2 is below max(open, close)"},
      {"lowopen.csv", h + "2024-01-01T00:00:00Z,1,2,1.1,1.5,10\n", ":2:26: low: low 1.1 is above min(open, close)"},
      {"unsorted.csv", h + ok + "2023-12-31T00:00:00Z,1,2,0.5,1.5,10\n", ":3:1: timestamp: 2023-12-31T00:00:00Z is before the previous row's"},
      {"duplicate.csv", h + ok + ok, ":3:1: timestamp: 2024-01-01T00:00:00Z duplicates the previous row's"},
      {"time.csv", h + "01/02/2024,1,2,0.5,1.5,10\n", ":2:1: timestamp: expected an ISO-8601 UTC time"},
      {"empty_field.csv", h + "2024-01-01T00:00:00Z,1,2,,1.5,10\n", ":2:26: low: empty field"},
      {"volume.csv", h + "2024-01-01T00:00:00Z,1,2,0.5,1.5,-3\n", ":2:34: volume: expected a value >= 0"},
      {"blank_middle.csv", h + ok + "\n" + "2024-01-02T00:00:00Z,1,2,0.5,1.5,10\n", ":3:1: empty line in the middle"},
      {"empty.csv", "", ":1:1: empty file"},
  };
  for (const auto& c : cases) EXPECT_EQ(error_of(c.name, c.text).rfind(c.expect, 0), 0u) << c.name << ": " << error_of(c.name, c.text);
}

TEST(Csv, AcceptsCrlfBomDatesAndTrailingBlankLines) {
  EXPECT_EQ(error_of("crlf.csv", "\xEF\xBB\xBFtimestamp,open,high,low,close,volume\r\n2024-01-01,1,2,0.5,1.5,10\r\n\r\n"),
            "accepted");
  EXPECT_THROW(read_csv_all("/nonexistent/file.csv"), Error);
}

TEST(Csv, WriteThenReadIsBitExact) {
  config::SynthConfig cfg;
  cfg.bars = 2000;
  auto a = make_synth(cfg, kNsPerHour);
  const std::string path = std::string(ST_BINARY_DIR) + "/synth_roundtrip.csv";
  write_csv(path, *a);
  auto b = make_synth(cfg, kNsPerHour);
  const auto back = read_csv_all(path);
  ASSERT_EQ(back.size(), 2000u);
  Bar x;
  for (const auto& y : back) {
    ASSERT_TRUE(b->next(x));
    EXPECT_EQ(std::memcmp(&x.open, &y.open, 5 * sizeof(double)), 0);
    EXPECT_EQ(x.time, y.time);
  }
}

TEST(Synth, DeterministicValidAndSpacedByTheTimeframe) {
  config::SynthConfig cfg;
  cfg.seed = 7;
  cfg.bars = 5000;
  auto a = make_synth(cfg, kNsPerHour), b = make_synth(cfg, kNsPerHour);
  cfg.seed = 8;
  auto c = make_synth(cfg, kNsPerHour);
  Bar x, y, z;
  std::int64_t n = 0, differ = 0;
  Timestamp prev;
  while (a->next(x)) {
    ASSERT_TRUE(b->next(y));
    ASSERT_TRUE(c->next(z));
    EXPECT_EQ(x.close, y.close);
    differ += x.close != z.close;
    EXPECT_LE(x.low, std::min(x.open, x.close));
    EXPECT_GE(x.high, std::max(x.open, x.close));
    EXPECT_GT(x.low, 0);
    EXPECT_GE(x.volume, 0);
    if (n > 0) {
      EXPECT_EQ(x.time.ns - prev.ns, kNsPerHour);
    }
    prev = x.time;
    ++n;
  }
  EXPECT_EQ(n, 5000);
  EXPECT_GT(differ, 4900);
  cfg.start = "yesterday";
  EXPECT_THROW(make_synth(cfg, kNsPerHour), Error);
}

TEST(Synth, ARunawayDriftIsAnErrorNotInfinitePrices) {
  config::SynthConfig cfg;
  cfg.drift = 0.01;  // e^(0.01 x 5000): 1e10 is passed near bar 1,800
  cfg.bars = 5000;
  auto s = make_synth(cfg, kNsPerMinute);
  Bar b;
  std::int64_t n = 0;
  double last_high = 0;
  try {
    while (s->next(b)) ++n, last_high = b.high;
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("the price passed 1e+10 at bar " + std::to_string(n)), std::string::npos) << m;
    EXPECT_NE(m.find("drift 0.01 per bar compounds over 5000 bars"), std::string::npos) << m;
  }
  EXPECT_GT(n, 1000);
  EXPECT_TRUE(std::isfinite(last_high) && last_high <= 1e10);
}

}  // namespace
}  // namespace st

namespace st {
namespace {

// A source that reads ahead hands over the bars before an error first; the error comes with the
// next call, as it would have one bar at a time.
class FailsAt final : public BarSource {
 public:
  explicit FailsAt(int bad) : bad_(bad) {}
  bool next(Bar& out) override {
    if (i_ == bad_) throw Error("data.csv:12:3: close: not a number");
    if (i_ == 1000) return false;
    out = Bar{};
    out.time = Timestamp{i_++};
    return true;
  }
  std::span<const Bar> next_span(std::size_t max) override { return next_span_buffered(max); }
  std::string name() const override { return "fails"; }

 private:
  int bad_;
  std::int64_t i_ = 0;
};

TEST(BarSource, ReadAheadRaisesAnErrorAfterTheBarsBeforeIt) {
  FailsAt late(300);
  EXPECT_EQ(late.next_span(256).size(), 256u);
  const auto rest = late.next_span(256);
  ASSERT_EQ(rest.size(), 44u);
  EXPECT_EQ(rest.back().time.ns, 299);
  EXPECT_THROW(late.next_span(256), Error);
  FailsAt first(0);
  EXPECT_THROW(first.next_span(256), Error);
  FailsAt never(-1);
  std::size_t n = 0;
  for (auto s = never.next_span(256); !s.empty(); s = never.next_span(256)) n += s.size();
  EXPECT_EQ(n, 1000u);
}

}  // namespace
}  // namespace st
