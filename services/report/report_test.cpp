#include "services/report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"

#include <cmath>

namespace st {
namespace {

ReportData sample(std::size_t bars, std::size_t trades) {
  ReportData d;
  d.summary = {{"link", "l<ink>"}, {"initial_cash", "100"}, {"metrics", {{"sharpe", 1.5}, {"win_rate", nullptr}}},
               {"conventions", {{"sharpe", "mean/std"}, {"preset", "default"}}}};
  EquityReducer equity(d, bars);
  for (std::size_t i = 0; i < bars; ++i) {
    const std::string day = format_iso(Timestamp{static_cast<std::int64_t>(i) * kNsPerDay});
    equity.add(day, 100.0 + std::sin(static_cast<double>(i) / 10) * 10 + (i == bars / 2 ? -50 : 0));
  }
  for (std::size_t i = 0; i < trades; ++i)
    d.trades.push_back({.trade_id = "id" + std::to_string(i), .exit_reason = "stop_loss", .pnl_net = i % 2 ? "-1.5" : "2"});
  return d;
}

TEST(Report, HasChartsTablesAndEscapesText) {
  const std::string html = render_report_html(sample(100, 3));
  EXPECT_NE(html.find("<svg id=\"equity-chart\""), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"drawdown-chart\""), std::string::npos);
  EXPECT_NE(html.find("id=\"monthly-returns\""), std::string::npos);
  EXPECT_NE(html.find("l&lt;ink&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("l<ink>"), std::string::npos);
  EXPECT_NE(html.find(">mean/std<"), std::string::npos);   // the convention next to the value
  EXPECT_NE(html.find("\"id2\""), std::string::npos);      // every trade is in the data
  EXPECT_EQ(html.find("http"), std::string::npos);         // nothing fetched from the network
}

TEST(Report, CurvesAreDownsampledButKeepTheirExtremes) {
  const std::string html = render_report_html(sample(200000, 0));
  const std::regex polyline("<polyline points=\"([^\"]*)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m, polyline));
  const std::string pts = m[1];
  EXPECT_LE(static_cast<std::size_t>(std::count(pts.begin(), pts.end(), ' ')), kMaxChartPoints);
  // The one-bar crash at the middle is still drawn: its y is the bottom of the chart.
  EXPECT_NE(pts.find(",232.0"), std::string::npos) << pts.substr(0, 200);  // y of the minimum: 24 + 208
  EXPECT_LT(html.size(), 400000u);  // 200k daily bars: 547 years of monthly returns, two small charts
}

// A run directory with `rows` equity rows over consecutive minutes from 2024-01-30 (line
// `bad_line`, if any, replaced by `bad`).
std::string run_dir(std::size_t rows, std::size_t bad_line = 0, const std::string& bad = "",
                    const std::string& trades = "trade_id,pnl_net\nt1,5\n", const std::string& journal = "") {
  // One folder per test: ctest runs the tests of this file as parallel processes.
  const std::string dir = std::string(ST_BINARY_DIR) + "/report_test_run/" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/summary.json") << R"({"link": "l", "initial_cash": "1000"})";
  std::ofstream(dir + "/trades.csv") << trades;
  std::ofstream(dir + "/journal.jsonl") << journal;
  std::ofstream eq(dir + "/equity.csv");
  eq << "timestamp,cash,equity,drawdown_percent\n";
  for (std::size_t i = 0; i < rows; ++i) {
    if (i + 2 == bad_line) {
      eq << bad << '\n';
      continue;
    }
    const double v = 1000 + static_cast<double>(i % 97) - (i == rows / 3 ? 500 : 0);
    eq << format_iso(Timestamp{19752 * kNsPerDay + static_cast<std::int64_t>(i) * kNsPerMinute}) << ",1000," << v << ",0\n";
  }
  return dir;
}

TEST(Report, EquityRowsAreReducedAsTheyAreRead) {
  // 10,000 minutes from 2024-01-30: January, February ends the run.
  const ReportData d = read_report_data(run_dir(10000));
  EXPECT_EQ(d.equity.count, 10000u);
  EXPECT_EQ(d.drawdown.count, 10000u);
  EXPECT_LE(d.equity.points.size(), kMaxChartPoints);
  EXPECT_GE(d.equity.points.size(), kMaxChartPoints / 2);
  EXPECT_EQ(d.equity.lo, 535);  // the crash at row 3333: 1000 + 3333 % 97 - 500
  EXPECT_EQ(d.equity.hi, 1096);
  bool crash_drawn = false;
  for (std::size_t k = 0; k < d.equity.points.size(); ++k) {
    if (k > 0) {
      EXPECT_LT(d.equity.points[k - 1].first, d.equity.points[k].first);  // in order
    }
    crash_drawn |= d.equity.points[k] == std::pair<std::size_t, double>(3333, 535);
  }
  EXPECT_TRUE(crash_drawn);
  EXPECT_EQ(d.first_time, "2024-01-30T00:00:00Z");
  EXPECT_EQ(d.last_time, format_iso(Timestamp{19752 * kNsPerDay + 9999 * kNsPerMinute}));
  ASSERT_EQ(d.month_ends.size(), 2u);
  EXPECT_EQ(d.month_ends[0].first, "2024-01");
  EXPECT_EQ(d.month_ends[0].second, 1000 + static_cast<double>((2 * 1440 - 1) % 97));  // 23:59 on the 31st
  EXPECT_EQ(d.month_ends[1].first, "2024-02");
  ASSERT_EQ(d.trades.size(), 1u);
  EXPECT_EQ(d.trades[0].trade_id, "t1");
  EXPECT_EQ(d.trades[0].pnl_net, "5");
  EXPECT_EQ(d.trades[0].entry_time, "");  // no such column
}

// summary.json's "bars" (a row per bar) lets equity.csv be read once; a count that does not match
// the file (edited by hand) gives the same report as no count, from a counted second pass.
TEST(Report, EquityRowsTakeTheirCountFromTheSummaryWhenItHolds) {
  const std::string dir = run_dir(10000);
  const ReportData counted = read_report_data(dir);
  for (const char* bars : {"10000", "9000", "12000", "0", "-5", "\"10000\""}) {
    std::ofstream(dir + "/summary.json") << R"({"link": "l", "initial_cash": "1000", "bars": )" << bars << "}";
    const ReportData d = read_report_data(dir);
    EXPECT_EQ(d.equity.count, 10000u) << bars;
    EXPECT_EQ(d.equity.points, counted.equity.points) << bars;
    EXPECT_EQ(d.drawdown.points, counted.drawdown.points) << bars;
    EXPECT_EQ(d.equity.lo, counted.equity.lo) << bars;
    EXPECT_EQ(d.drawdown.lo, counted.drawdown.lo) << bars;
    EXPECT_EQ(d.month_ends, counted.month_ends) << bars;
    EXPECT_EQ(d.first_time, counted.first_time) << bars;
    EXPECT_EQ(d.last_time, counted.last_time) << bars;
  }
}

TEST(Report, BadEquityRowsNameTheirLine) {
  const auto error_of = [](const std::string& bad) {
    try {
      read_report_data(run_dir(50, 7, bad));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("2024-01-30T00:05:00Z,1000,abc,0").find("equity.csv:7: expected timestamp,cash,equity,"
                                                             "drawdown_percent: equity \"abc\" is not a number"),
            std::string::npos);
  EXPECT_NE(error_of("2024-01-30T00:05:00Z,1000").find("equity.csv:7: expected timestamp,cash,equity,drawdown_percent: "
                                                       "fewer than three columns"),
            std::string::npos);
  EXPECT_NE(error_of("yesterday,1000,1000,0").find("equity.csv:7: expected timestamp,cash,equity,drawdown_percent: "
                                                   "timestamp \"yesterday\" is not YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(error_of("2024-01-30T00:05:00Z,1000,1000.5x,0").find("equity.csv:7:"), std::string::npos);
  EXPECT_EQ(error_of("2024-01-30T00:05:00Z,1000,1000.5"), "no error");  // the drawdown column is not read
}

// A journal line of the fixed field order the engine writes.
std::string entry(int seq, const std::string& type, const std::string& opportunity, const std::string& trade,
                  const std::string& threat, const std::string& rest) {
  const auto id = [](const std::string& v) { return v.empty() ? std::string("null") : "\"" + v + "\""; };
  return "{\"seq\":" + std::to_string(seq) + ",\"timestamp\":\"2024-01-30T00:0" + std::to_string(seq % 10) +
         ":00Z\",\"event_type\":\"" + type + "\",\"opportunity_id\":" + id(opportunity) + ",\"trade_id\":" + id(trade) +
         ",\"threat_id\":" + id(threat) + ",\"scheduled_id\":null" + rest + "}\n";
}

TEST(Report, TradesCarryTheirCausalChainsAndRejectionsAreCapped) {
  std::string journal = entry(1, "OPPORTUNITY_DETECTED", "o-entry", "", "",
                              R"(,"worker":"cross","signal_type":"cross_up","details":{"fast":1.5})");
  journal += entry(2, "OPPORTUNITY_DETECTED", "o-untaken", "", "", R"(,"worker":"cross","signal_type":"cross_dn")");
  journal += entry(3, "THREAT_DETECTED", "", "", "th1",
                   R"(,"worker":"vol","threat_type":"VOLATILITY_SPIKE","severity":"MEDIUM","message":"range 8x")");
  journal += entry(3, "THREAT_DETECTED", "", "", "th2", R"(,"worker":"dd","threat_type":"MAX_DRAWDOWN","severity":"HIGH")");
  journal += entry(3, "THREAT_DETECTED", "", "", "th3", R"(,"worker":"dd","threat_type":"UNSHOWN","severity":"LOW")");
  journal += entry(4, "TRADE_PLANNED", "o-entry", "t1", "",
                   R"(,"rationale":{"entry":"market","exit":"stop 99","size":"10 units","routing":"x"})");
  journal += entry(5, "STOP_MOVED", "", "t1", "", R"(,"stop":"99.5")");
  journal += entry(6, "OPPORTUNITY_DETECTED", "o-exit", "", "", R"(,"worker":"cross","signal_type":"cross_dn")");
  journal += entry(7, "TRADE_CLOSED", "o-entry", "t1", "th1", R"(,"exit_opportunity_id":"o-exit","exit_reason":"threat")");
  for (std::size_t i = 0; i < kMaxRejections + 3; ++i)
    journal += entry(8, "OPPORTUNITY_REJECTED", "o-r" + std::to_string(i), "", i == 0 ? "th1" : i == 1 ? "th2" : "",
                     R"(,"worker":"gov","phase":"execution","reason":"threat active")");
  // Torn: the writer was cut off in the last line.
  journal += R"({"seq":9,"timestamp":"2024-01-30T00:09:00Z","event_type":"TRADE_CLOSED","opportunity_id":null,"trade_id":"t1","thr)";
  const ReportData d = read_report_data(run_dir(10, 0, "", "trade_id,direction,pnl_net\nt1,LONG,5\n", journal));
  EXPECT_EQ(d.rejected, kMaxRejections + 3);
  EXPECT_EQ(d.rejections.size(), kMaxRejections);
  EXPECT_EQ(d.opportunities.count("o-untaken"), 0u);  // no trade took it: not parsed
  EXPECT_EQ(d.threats.count("th2"), 1u);               // named by a rejection listed
  EXPECT_EQ(d.threats.count("th3"), 0u);               // named by nothing shown: not parsed
  const std::string html = render_report_html(d);
  const std::size_t data = html.find("const T=");
  ASSERT_NE(data, std::string::npos);
  const std::string chain =  // as JSON text in the page's data
      R"(t1\nstop 99\n10 units\ncross_up by cross: fast=1.5\nthreat VOLATILITY_SPIKE (MEDIUM) from vol: range 8x\n)"
      R"(exit: cross_dn by cross:")";
  const std::size_t at = html.find(chain, data);
  EXPECT_NE(at, std::string::npos) << html.substr(data, 400);
  EXPECT_NE(html.find("<h2>Rejected opportunities (2003)</h2>"), std::string::npos);
  EXPECT_NE(html.find("… 3 more in journal.jsonl (OPPORTUNITY_REJECTED)"), std::string::npos);
  EXPECT_NE(html.find("<td>o-r0</td><td>gov</td><td>execution</td><td>threat active</td><td>VOLATILITY_SPIKE</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>o-r1</td><td>gov</td><td>execution</td><td>threat active</td><td>MAX_DRAWDOWN</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>o-r1999</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td>o-r2000</td>"), std::string::npos);
  // A malformed entry the report shows that is not the last line is an error naming its line.
  try {
    const std::string cut = R"({"seq":2,"timestamp":"2024-01-30T00:02:00Z","event_type":"TRADE_CLOSED","trade_id":"t1",)";
    read_report_data(run_dir(10, 0, "", "trade_id\nt1\n",
                             entry(1, "TRADE_PLANNED", "", "t1", "", "") + cut + "\n" + entry(3, "TRADE_CLOSED", "", "t1", "", "")));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("journal.jsonl:2:"), std::string::npos) << e.what();
  }
}

TEST(Report, MissingFilesAreClearErrors) {
  try {
    read_report_data("/nonexistent/run/link");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace st
