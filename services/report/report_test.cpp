#include "services/report/report.h"

#include <gtest/gtest.h>

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
  for (std::size_t i = 0; i < bars; ++i) {
    const std::string day = format_iso(Timestamp{static_cast<std::int64_t>(i) * kNsPerDay});
    d.equity.emplace_back(day, 100.0 + std::sin(static_cast<double>(i) / 10) * 10 + (i == bars / 2 ? -50 : 0));
  }
  for (std::size_t i = 0; i < trades; ++i)
    d.trades.push_back({{"trade_id", "id" + std::to_string(i)}, {"pnl_net", i % 2 ? "-1.5" : "2"}, {"exit_reason", "stop_loss"}});
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
