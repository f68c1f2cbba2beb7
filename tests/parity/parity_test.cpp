// The backtrader-compatible blueprint (config/runs/bt_sma_cross.yaml) against the reference
// runs in ../shared/oracle: same trades (times, prices, sizes, exit reasons), same Margin
// rejections, same open position at the end, same final value. Every variant is selected with
// --set overrides, as a user would.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "backend/config/loader.h"
#include "services/metrics/metrics.h"
#include "backend/journal/reader.h"
#include "backend/registry/registry.h"
#include "services/runner/strategy_runner.h"

namespace st {
namespace {
namespace fs = std::filesystem;

const std::string kShared = ST_SHARED_DIR;

struct Variant {
  const char* oracle;
  std::vector<std::string> overrides;
};

std::vector<std::string> stake10() {
  return {"runs.bt_sma_cross.workforce.planning[2].plugin=fixed_stake",
          "runs.bt_sma_cross.workforce.planning[2].params={stake: 10}"};
}

std::vector<std::map<std::string, std::string>> read_trades(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::stringstream ls(line);
    std::string field;
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::getline(ls, field, ',');
      row[header[i]] = field;
    }
    rows.push_back(row);
  }
  return rows;
}

double rel(double a, double b) { return std::fabs(a - b) / std::max(std::fabs(b), 1e-300); }

class Parity : public ::testing::TestWithParam<Variant> {};

TEST_P(Parity, ReproducesTheReferenceRun) {
  const Variant& v = GetParam();
  std::ifstream in(kShared + "/oracle/" + v.oracle);
  ASSERT_TRUE(in) << v.oracle;
  const auto oracle = nlohmann::json::parse(in);

  Diagnostics diags;
  const auto registry = PluginRegistry::load({}, diags);
  config::LoadOptions options;
  options.overrides = v.overrides;
  const auto cfg = config::load_config(std::string(ST_SOURCE_DIR) + "/config", &registry, options, diags);
  ASSERT_TRUE(diags.empty()) << diags.to_string();
  const config::StrategyLinkConfig* link = nullptr;
  for (const auto& op : cfg.operations)
    for (const auto& l : op.strategy_links)
      if (l.name == "bt_orcl") link = &l;
  ASSERT_NE(link, nullptr);

  RunOptions run;
  run.out_dir = (fs::path(ST_BINARY_DIR) / "parity" / fs::path(v.oracle).stem()).string();
  run.data_override = kShared + "/data/orcl-1995-2014.csv";
  const LinkSummary s = run_link(cfg, registry, *link, run);
  EXPECT_EQ(s.bars, oracle["input"]["bars"].get<std::int64_t>());

  // Trades, one by one.
  const auto rows = read_trades(fs::path(run.out_dir) / "bt_orcl" / "trades.csv");
  std::vector<std::map<std::string, std::string>> closed, open;
  for (const auto& r : rows) (r.at("exit_reason") == "open" ? open : closed).push_back(r);
  const auto& ref = oracle["trades"];
  ASSERT_EQ(closed.size(), ref.size());
  EXPECT_EQ(s.trades_closed, oracle["n_trades"].get<std::int64_t>());
  std::int64_t stopped = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const auto& a = ref[i];
    const auto& b = closed[i];
    SCOPED_TRACE("trade " + std::to_string(i) + " entered " + a["entry_dt"].get<std::string>());
    EXPECT_EQ(b.at("entry_time"), a["entry_dt"].get<std::string>());
    EXPECT_EQ(std::stod(b.at("entry_price")), a["entry_price"].get<double>());  // raw open, exactly
    EXPECT_EQ(std::stod(b.at("size")), a["size"].get<double>());
    EXPECT_EQ(b.at("exit_time"), a["exit_dt"].get<std::string>());
    const std::string reason = a["exit_reason"] == "stop" ? "stop_loss" : "exit_signal";
    EXPECT_EQ(b.at("exit_reason"), reason);
    stopped += reason == "stop_loss";
    // Exits are raw opens (exact) or the trigger E x (1 - P): our exact decimal product against
    // the reference's double product, which may be one ulp away.
    EXPECT_LE(rel(std::stod(b.at("exit_price")), a["exit_price"].get<double>()), 1e-15);
    EXPECT_LE(rel(std::stod(b.at("entry_fee")), a["entry_comm"].get<double>()), 1e-9);
    EXPECT_LE(rel(std::stod(b.at("exit_fee")), a["exit_comm"].get<double>()), 1e-9);
    EXPECT_LE(std::fabs(std::stod(b.at("pnl_gross")) - a["pnl_gross"].get<double>()), 1e-6);
    EXPECT_LE(std::fabs(std::stod(b.at("pnl_net")) - a["pnl_net"].get<double>()), 1e-6);
    EXPECT_EQ(std::stoll(b.at("bars_held")), a["bars_held"].get<std::int64_t>());
  }
  EXPECT_EQ(stopped, oracle["n_trades_stopped"].get<std::int64_t>());

  // The open position at the end (not liquidated).
  const auto& op = oracle["open_position"];
  ASSERT_EQ(open.size(), op.is_null() ? 0u : 1u);
  if (!op.is_null()) {
    EXPECT_EQ(std::stod(open[0].at("size")), op["size"].get<double>());
    EXPECT_EQ(std::stod(open[0].at("entry_price")), op["price"].get<double>());
    EXPECT_EQ(open[0].at("entry_time"), op["entry"]["entry_dt"].get<std::string>());
  }

  // Margin rejections: same count, same bars.
  std::vector<std::string> margin_ref, margin_ours;
  for (const auto& o : oracle["orders"])
    if (o["status"] == "Margin") margin_ref.push_back(o["bar_dt"].get<std::string>());
  for (const auto& e : journal::read_journal(run.out_dir + "/bt_orcl/journal.jsonl"))
    if (e["event_type"] == "ORDER_REJECTED") margin_ours.push_back(e["timestamp"].get<std::string>());
  EXPECT_EQ(margin_ours, margin_ref);
  EXPECT_EQ(static_cast<std::int64_t>(margin_ours.size()), oracle["n_rejected_orders"].get<std::int64_t>());

  // Signals: every up and down cross was detected.
  std::int64_t up = 0, down = 0;
  for (const auto& e : journal::read_journal(run.out_dir + "/bt_orcl/journal.jsonl"))
    if (e["event_type"] == "OPPORTUNITY_DETECTED") (e["intent"] == "entry" ? up : down)++;
  EXPECT_EQ(up, oracle["signals"]["up"].get<std::int64_t>());
  EXPECT_EQ(down, oracle["signals"]["down"].get<std::int64_t>());

  // Trade metrics from the reference's own trade list, computed here from first principles.
  double won = 0, lost = 0, sum = 0, best = -1e300, worst = 1e300, fees = 0;
  std::int64_t wins = 0, losses = 0;
  std::vector<double> pnl;
  for (const auto& t : ref) {
    const double p = t["pnl_net"].get<double>();
    pnl.push_back(p);
    sum += p;
    fees += t["commission"].get<double>();
    best = std::max(best, p);
    worst = std::min(worst, p);
    if (p > 0) ++wins, won += p;
    if (p < 0) ++losses, lost += p;
  }
  if (!op.is_null()) fees += op["entry"]["entry_comm"].get<double>();
  const double n = static_cast<double>(pnl.size()), mean = sum / n;
  double ss = 0;
  for (double p : pnl) ss += (p - mean) * (p - mean);
  const Metrics& m = s.metrics;
  EXPECT_EQ(m.trades, static_cast<std::int64_t>(ref.size()));
  EXPECT_EQ(m.wins, wins);
  EXPECT_EQ(m.losses, losses);
  EXPECT_LE(rel(*m.win_rate, static_cast<double>(wins) / n), 1e-12);
  EXPECT_LE(rel(*m.profit_factor, won / -lost), 1e-9);
  EXPECT_LE(rel(*m.expectancy, mean), 1e-9);
  EXPECT_LE(rel(*m.largest_win, best), 1e-9);
  EXPECT_LE(rel(*m.largest_loss, worst), 1e-9);
  EXPECT_LE(rel(*m.sqn, std::sqrt(n) * mean / std::sqrt(ss / (n - 1))), 1e-9);
  EXPECT_LE(rel(m.fees, fees), 1e-9);
  EXPECT_LE(rel(m.total_return, oracle["final_value"].get<double>() / 100000.0 - 1.0), 1e-9);
  EXPECT_EQ(m.annualization, 252);  // stock data: no weekend bars

  // Equity-curve metrics from first principles: replay the reference's trades on the closes
  // (cash changes at its fills, the position is marked at every close), then Sharpe with the
  // default convention (daily returns, mean/std(ddof=1) x sqrt(252)) and the max drawdown.
  {
    std::ifstream csv(kShared + "/data/orcl-1995-2014.csv");
    std::string line;
    std::getline(csv, line);
    std::vector<std::pair<std::string, double>> closes;
    while (std::getline(csv, line)) {
      std::stringstream ls(line);
      std::vector<std::string> f;
      for (std::string x; std::getline(ls, x, ',');) f.push_back(x);
      closes.emplace_back(f[0], std::stod(f[4]));
    }
    struct Fill { double cash_delta, position_delta; };
    std::multimap<std::string, Fill> fills;
    for (const auto& t : ref) {
      const double size = t["size"].get<double>(), entry = t["entry_price"].get<double>();
      fills.insert({t["entry_dt"].get<std::string>(), {-(size * entry + t["entry_comm"].get<double>()), size}});
      fills.insert({t["exit_dt"].get<std::string>(),
                    {size * entry + t["pnl_gross"].get<double>() - t["exit_comm"].get<double>(), -size}});
    }
    if (!op.is_null())
      fills.insert({op["entry"]["entry_dt"].get<std::string>(),
                    {-(op["size"].get<double>() * op["price"].get<double>() + op["entry"]["entry_comm"].get<double>()),
                     op["size"].get<double>()}});
    double cash = 100000, position = 0, prev = 100000, peak = 100000, max_dd = 0;
    std::vector<double> r;
    for (const auto& [time, close] : closes) {
      for (auto [it, end] = fills.equal_range(time); it != end; ++it) {
        cash += it->second.cash_delta;
        position += it->second.position_delta;
      }
      const double equity = cash + position * close;
      r.push_back(equity / prev - 1);
      prev = equity;
      peak = std::max(peak, equity);
      max_dd = std::max(max_dd, 1 - equity / peak);
    }
    double mu = 0;
    for (double x : r) mu += x;
    mu /= static_cast<double>(r.size());
    double var = 0;
    for (double x : r) var += (x - mu) * (x - mu);
    const double sharpe = mu / std::sqrt(var / static_cast<double>(r.size() - 1)) * std::sqrt(252.0);
    EXPECT_LE(rel(*m.sharpe, sharpe), 1e-9) << *m.sharpe << " vs " << sharpe;
    EXPECT_LE(rel(m.max_drawdown.depth, max_dd), 1e-9) << m.max_drawdown.depth << " vs " << max_dd;
    EXPECT_LE(rel(prev, oracle["final_value"].get<double>()), 1e-9);  // the replay itself is right
  }

  // Final value: cash + the open position at the last close.
  EXPECT_LE(rel(std::stod(s.final_equity), oracle["final_value"].get<double>()), 1e-9)
      << s.final_equity << " vs " << oracle["final_value"].get<double>();
  EXPECT_LE(rel(std::stod(s.final_cash), oracle["final_cash"].get<double>()), 1e-9);
}

std::vector<std::string> with_stop(std::vector<std::string> o) {
  o.push_back("runs.bt_sma_cross.workforce.planning[1].params.stop_percent=5");
  return o;
}

INSTANTIATE_TEST_SUITE_P(OrclReferenceRuns, Parity,
                         ::testing::Values(Variant{"orcl_sma_fraction.json", {}},
                                           Variant{"orcl_sma_fraction_stop5.json", with_stop({})},
                                           Variant{"orcl_sma_stake10.json", stake10()},
                                           Variant{"orcl_sma_stake10_stop5.json", with_stop(stake10())}),
                         [](const auto& info) {
                           std::string name = fs::path(info.param.oracle).stem().string();
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// The same blueprint runs unchanged on other data: daily stocks, and crypto with 4 size decimals.
TEST(ParityData, TheSameBlueprintRunsOnOtherFiles) {
  Diagnostics diags;
  const auto registry = PluginRegistry::load({}, diags);
  config::LoadOptions options;
  options.overrides = {"backtrader.strategy_links[0].instrument.quantity_precision=4"};
  const auto cfg = config::load_config(std::string(ST_SOURCE_DIR) + "/config", &registry, options, diags);
  ASSERT_TRUE(diags.empty()) << diags.to_string();
  const auto& link = cfg.operations.at(1).strategy_links.at(0);
  for (const char* file : {"nvda-1999-2014.csv", "yhoo-1996-2015.csv", "BTCUSDT-1h-2017-08-17_2025-11-30.csv",
                           "BTCUSDT-1m-2024-01-01_2024-06-30.csv"}) {
    RunOptions run;
    run.out_dir = (fs::path(ST_BINARY_DIR) / "parity_data" / file).string();
    run.data_override = kShared + "/data/" + file;
    const auto s = run_link(cfg, registry, link, run);
    EXPECT_GT(s.bars, 1000) << file;
    EXPECT_GT(s.trades_closed, 10) << file;
    // Sizes carry at most 4 decimals.
    for (const auto& r : read_trades(fs::path(run.out_dir) / "bt_orcl" / "trades.csv")) {
      const auto dot = r.at("size").find('.');
      EXPECT_TRUE(dot == std::string::npos || r.at("size").size() - dot - 1 <= 4) << r.at("size");
    }
  }
}

}  // namespace
}  // namespace st
