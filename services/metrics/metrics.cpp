#include "services/metrics/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace st {

const char* to_string(MetricsConvention c) {
  switch (c) {
    case MetricsConvention::kDefault: return "default";
    case MetricsConvention::kLean: return "lean";
    case MetricsConvention::kNautilus: return "nautilus";
    case MetricsConvention::kVectorbt: return "vectorbt";
  }
  return "?";
}

std::optional<MetricsConvention> parse_metrics_convention(std::string_view text) {
  for (auto c : {MetricsConvention::kDefault, MetricsConvention::kLean, MetricsConvention::kNautilus,
                 MetricsConvention::kVectorbt})
    if (text == to_string(c)) return c;
  return std::nullopt;
}

namespace {

std::int64_t day_of(Timestamp t) { return t.ns >= 0 ? t.ns / kNsPerDay : (t.ns - kNsPerDay + 1) / kNsPerDay; }

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Standard deviation with `ddof`; nullopt when undefined.
std::optional<double> stdev(const std::vector<double>& v, int ddof) {
  if (v.size() <= static_cast<std::size_t>(ddof)) return std::nullopt;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - static_cast<std::size_t>(ddof)));
}

}  // namespace

void EquityCurveStats::add(const EquityPoint& p) {
  const std::int64_t day = day_of(p.time);
  if (bars_ == 0) {
    first_ = p.time;
    peak_ = initial_;
    peak_time_ = p.time;
  } else if (day != day_) {  // the previous bar closed its day
    daily_.push_back(prev_close_ != 0 ? last_equity_ / prev_close_ - 1.0 : 0.0);
    prev_close_ = last_equity_;
  }
  ++bars_;
  in_market_ += p.in_market;
  if (!weekend_) {
    const std::int64_t weekday = ((day % 7) + 7 + 4) % 7;  // 0 = Sunday
    weekend_ = weekday == 0 || weekday == 6;
  }
  day_ = day;
  last_ = p.time;
  last_equity_ = p.equity;
  // Max drawdown on every bar's mark-to-market equity, from the initial equity on; it has
  // recovered at the first bar after its trough back at its peak's value.
  if (max_dd_.peak && !max_dd_.recovery && p.equity >= dd_peak_value_) max_dd_.recovery = p.time;
  if (p.equity >= peak_) {
    peak_ = p.equity;
    peak_time_ = p.time;
    return;
  }
  const double dd = 1.0 - p.equity / peak_;
  if (dd > max_dd_.depth) {
    max_dd_.depth = dd;
    max_dd_.peak = peak_time_;
    max_dd_.trough = p.time;
    max_dd_.recovery.reset();
    dd_peak_value_ = peak_;
  }
}

std::vector<double> EquityCurveStats::daily_returns() const {
  std::vector<double> out = daily_;
  if (bars_ > 0) out.push_back(prev_close_ != 0 ? last_equity_ / prev_close_ - 1.0 : 0.0);
  return out;
}

std::vector<double> daily_returns(const std::vector<EquityPoint>& equity, double initial_equity) {
  EquityCurveStats stats(initial_equity);
  for (const auto& p : equity) stats.add(p);
  return stats.daily_returns();
}

Metrics compute_metrics(const std::vector<EquityPoint>& equity, double initial_equity,
                        const std::vector<TradeResult>& trades, const MetricsSettings& settings) {
  EquityCurveStats stats(initial_equity);
  for (const auto& p : equity) stats.add(p);
  return compute_metrics(stats, trades, settings);
}

Metrics compute_metrics(const EquityCurveStats& equity, const std::vector<TradeResult>& trades,
                        const MetricsSettings& settings) {
  Metrics m;
  m.settings = settings;
  // Annualization: stated, and derived from the data when not configured.
  if (settings.annualization > 0) {
    m.annualization = settings.annualization;
    m.annualization_reason = "configured";
  } else {
    m.annualization = equity.weekend_ ? 365 : 252;
    m.annualization_reason =
        equity.weekend_ ? "auto: the data has weekend bars (24/7 market)" : "auto: no weekend bars (exchange calendar)";
  }
  const double T = m.annualization;
  const double initial_equity = equity.initial_;
  if (equity.bars_ > 0 && initial_equity > 0) {
    const double end = equity.last_equity_;
    m.total_return = end / initial_equity - 1.0;
    const double days = static_cast<double>(equity.last_.ns - equity.first_.ns) / kNsPerDay;
    if (days > 0 && end > 0) m.cagr = std::pow(end / initial_equity, 365.0 / days) - 1.0;
    m.max_drawdown = equity.max_dd_;
    if (m.max_drawdown.peak) {
      const Timestamp until = m.max_drawdown.recovery.value_or(equity.last_);
      m.max_drawdown.duration_days = (until.ns - m.max_drawdown.peak->ns) / kNsPerDay;
    }
    m.exposure = static_cast<double>(equity.in_market_) / static_cast<double>(equity.bars_);
  }
  // Ratios on daily returns.
  const std::vector<double> r = equity.daily_returns();
  m.return_samples = r.size();
  const double rf_p = settings.risk_free_rate / T;
  if (r.size() >= 2) {
    const auto sd1 = stdev(r, 1);
    if (sd1) m.volatility = *sd1 * std::sqrt(T);
    std::vector<double> excess(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) excess[i] = r[i] - rf_p;
    std::vector<double> negative;
    for (double x : r)
      if (x < 0) negative.push_back(x);
    double downside_sq = 0;  // sum of min(r - rf, 0)^2 over all samples
    for (double x : excess) downside_sq += std::min(x, 0.0) * std::min(x, 0.0);
    const double n = static_cast<double>(r.size());
    switch (settings.convention) {
      case MetricsConvention::kLean: {
        // (AnnPerf - rf) / AnnStd, AnnPerf = (1 + mean r)^T - 1, AnnStd = sqrt(var_sample(r) T).
        const double ann_perf = std::pow(1.0 + mean(r), T) - 1.0;
        if (sd1 && *sd1 > 0) m.sharpe = (ann_perf - settings.risk_free_rate) / (*sd1 * std::sqrt(T));
        if (const auto sdn = stdev(negative, 1); sdn && *sdn > 0)
          m.sortino = (ann_perf - settings.risk_free_rate) / (*sdn * std::sqrt(T));
        break;
      }
      case MetricsConvention::kNautilus: {
        // mean / std(ddof 1) x sqrt(T), no risk-free; Sortino over sqrt(sum of r<0 squared / N).
        if (sd1 && *sd1 > 0) m.sharpe = mean(r) / *sd1 * std::sqrt(T);
        double neg_sq = 0;
        for (double x : negative) neg_sq += x * x;
        if (neg_sq > 0) m.sortino = mean(r) / std::sqrt(neg_sq / n) * std::sqrt(T);
        break;
      }
      case MetricsConvention::kDefault:
      case MetricsConvention::kVectorbt: {
        // mean(r - rf) / std(r - rf, ddof 1) x sqrt(T); Sortino: mean(r - rf) x T / (sqrt(mean(min(r - rf, 0)^2)) x sqrt(T)).
        if (const auto sd = stdev(excess, 1); sd && *sd > 0) m.sharpe = mean(excess) / *sd * std::sqrt(T);
        if (downside_sq > 0) m.sortino = mean(excess) * T / (std::sqrt(downside_sq / n) * std::sqrt(T));
        break;
      }
    }
  }
  if (m.cagr && m.max_drawdown.depth > 0) m.calmar = *m.cagr / m.max_drawdown.depth;
  // Trades.
  std::vector<double> pnl, r_multiples;
  double won = 0, lost = 0, held = 0, held_days = 0;
  for (const auto& t : trades) {
    m.fees += t.fees;
    if (!t.closed) {
      ++m.open_trades;
      continue;
    }
    ++m.trades;
    pnl.push_back(t.pnl_net);
    if (t.pnl_net > 0) {
      ++m.wins;
      won += t.pnl_net;
      m.largest_win = std::max(m.largest_win.value_or(t.pnl_net), t.pnl_net);
    } else if (t.pnl_net < 0) {
      ++m.losses;
      lost += t.pnl_net;
      m.largest_loss = std::min(m.largest_loss.value_or(t.pnl_net), t.pnl_net);
    } else {
      ++m.breakeven;
    }
    if (t.risk > 0) r_multiples.push_back(t.pnl_net / t.risk);
    held += static_cast<double>(t.bars_held);
    held_days += static_cast<double>(t.exit_time.ns - t.entry_time.ns) / kNsPerDay;
  }
  if (m.trades > 0) {
    const double n = static_cast<double>(m.trades);
    m.win_rate = static_cast<double>(m.wins) / n;
    m.expectancy = mean(pnl);
    m.average_bars_held = held / n;
    m.average_holding_days = held_days / n;
    if (m.wins > 0) m.average_win = won / static_cast<double>(m.wins);
    if (m.losses > 0) {
      m.average_loss = lost / static_cast<double>(m.losses);
      m.profit_factor = won / -lost;
    }
    if (!r_multiples.empty()) m.expectancy_r = mean(r_multiples);
    if (const auto sd = stdev(pnl, 1); sd && *sd > 0) m.sqn = std::sqrt(n) * mean(pnl) / *sd;
  }
  return m;
}

namespace {

nlohmann::ordered_json opt(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}
nlohmann::ordered_json opt_time(const std::optional<Timestamp>& t) {
  return t ? nlohmann::ordered_json(format_iso(*t)) : nlohmann::ordered_json();
}

std::string sharpe_convention(const Metrics& m) {
  const double rf = m.settings.risk_free_rate;
  switch (m.settings.convention) {
    case MetricsConvention::kLean:
      return fmt::format("LEAN: ((1 + mean r)^{0} - 1 - rf) / (std(r, ddof=1) x sqrt({0})); daily MTM returns; rf={1}", m.annualization, rf);
    case MetricsConvention::kNautilus:
      return fmt::format("NautilusTrader: mean(r) / std(r, ddof=1) x sqrt({}); daily MTM returns; no risk-free rate", m.annualization);
    default:
      return fmt::format("{}: mean(r - rf) / std(r - rf, ddof=1) x sqrt({}); daily MTM returns (arithmetic); rf={} annual",
                         m.settings.convention == MetricsConvention::kVectorbt ? "vectorbt" : "default", m.annualization, rf);
  }
}

std::string sortino_convention(const Metrics& m) {
  switch (m.settings.convention) {
    case MetricsConvention::kLean:
      return fmt::format("LEAN: ((1 + mean r)^{0} - 1 - rf) / (std(r | r < 0, ddof=1) x sqrt({0}))", m.annualization);
    case MetricsConvention::kNautilus:
      return fmt::format("NautilusTrader: mean(r) / sqrt(sum(r^2 | r < 0) / N) x sqrt({})", m.annualization);
    default:
      return fmt::format("mean(r - rf) x {0} / (sqrt(mean(min(r - rf, 0)^2)) x sqrt({0})) (downside deviation over all N)",
                         m.annualization);
  }
}

}  // namespace

nlohmann::ordered_json metrics_json(const Metrics& m) {
  nlohmann::ordered_json v, c;
  v["total_return"] = m.total_return;
  v["cagr"] = opt(m.cagr);
  v["volatility"] = opt(m.volatility);
  v["sharpe"] = opt(m.sharpe);
  v["sortino"] = opt(m.sortino);
  v["calmar"] = opt(m.calmar);
  v["max_drawdown"] = {{"depth", m.max_drawdown.depth},
                       {"peak", opt_time(m.max_drawdown.peak)},
                       {"trough", opt_time(m.max_drawdown.trough)},
                       {"recovery", opt_time(m.max_drawdown.recovery)},
                       {"duration_days", m.max_drawdown.duration_days}};
  v["exposure"] = m.exposure;
  v["trades"] = m.trades;
  v["wins"] = m.wins;
  v["losses"] = m.losses;
  v["breakeven"] = m.breakeven;
  v["open_trades"] = m.open_trades;
  v["win_rate"] = opt(m.win_rate);
  v["profit_factor"] = opt(m.profit_factor);
  v["expectancy"] = opt(m.expectancy);
  v["expectancy_r"] = opt(m.expectancy_r);
  v["average_win"] = opt(m.average_win);
  v["average_loss"] = opt(m.average_loss);
  v["largest_win"] = opt(m.largest_win);
  v["largest_loss"] = opt(m.largest_loss);
  v["average_bars_held"] = opt(m.average_bars_held);
  v["average_holding_days"] = opt(m.average_holding_days);
  v["sqn"] = opt(m.sqn);
  v["fees"] = m.fees;
  c["preset"] = to_string(m.settings.convention);
  c["return_sampling"] = fmt::format("daily mark-to-market: the last equity of each UTC day ({} samples)", m.return_samples);
  c["annualization"] = m.annualization;
  c["annualization_reason"] = m.annualization_reason;
  c["risk_free_rate"] = m.settings.risk_free_rate;
  c["ddof"] = 1;
  c["total_return"] = "final equity / initial equity - 1 (open positions marked at the last close)";
  c["cagr"] = "(final / initial)^(365 / calendar days from the first to the last bar) - 1";
  c["volatility"] = fmt::format("std(daily r, ddof=1) x sqrt({})", m.annualization);
  c["sharpe"] = sharpe_convention(m);
  c["sortino"] = sortino_convention(m);
  c["calmar"] = "CAGR / max drawdown depth";
  c["max_drawdown"] = "largest fall from a running peak of mark-to-market equity, every bar; duration peak -> recovery (or -> end)";
  c["exposure"] = "bars with a position open at the close / all bars";
  c["win_rate"] = "wins / closed trades; a win is pnl_net > 0, breakeven (pnl_net = 0) counts as a non-win";
  c["profit_factor"] = "sum of winning pnl_net / |sum of losing pnl_net|; null without losing trades";
  c["expectancy"] = "mean pnl_net per closed trade (currency, breakeven included)";
  c["expectancy_r"] = "mean of pnl_net / initial risk (|entry - stop| x size) over closed trades that had a stop";
  c["sqn"] = "sqrt(n) x mean(pnl_net) / std(pnl_net, ddof=1) (van Tharp, as backtrader)";
  c["fees"] = "every fee of every fill, open trades included";
  return {{"metrics", v}, {"conventions", c}};
}

std::string metrics_markdown(const nlohmann::ordered_json& j) {
  std::string out = "| metric | value | convention |\n|---|---|---|\n";
  for (auto it = j["metrics"].begin(); it != j["metrics"].end(); ++it) {
    const std::string value = it->is_null() ? "n/a" : it->is_number_float() ? fmt::format("{:.6g}", it->get<double>()) : it->dump();
    const auto conv = j["conventions"].find(it.key());
    out += fmt::format("| {} | {} | {} |\n", it.key(), value, conv != j["conventions"].end() ? conv->get<std::string>() : "");
  }
  const auto& c = j["conventions"];
  out += fmt::format("\nPreset {}, annualization {} ({}), risk-free rate {}; returns: {}.\n", c["preset"].get<std::string>(),
                     c["annualization"].get<int>(), c["annualization_reason"].get<std::string>(),
                     c["risk_free_rate"].get<double>(), c["return_sampling"].get<std::string>());
  return out;
}

}  // namespace st
