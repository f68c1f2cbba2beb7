#include "backend/data/synth.h"

#include <fmt/format.h>

#include <cmath>

#include "backend/core/diagnostics.h"
#include "backend/core/random.h"
#include "backend/core/time.h"

namespace st {

namespace {

// Normal deviates by Box-Muller on the platform generator.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  double uniform() { return gen_.uniform(); }
  double normal() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    const double u = uniform(), v = uniform();
    const double r = std::sqrt(-2.0 * std::log(u));
    spare_ = r * std::sin(2 * M_PI * v);
    have_spare_ = true;
    return r * std::cos(2 * M_PI * v);
  }

 private:
  Xoshiro256 gen_;
  double spare_ = 0;
  bool have_spare_ = false;
};

double round4(double x) { return std::round(x * 1e4) / 1e4; }

// Prices above this stop the series: a position's value in decimals (8 places) would not fit
// 64 bits much beyond, and the generator's doubles would run on to inf.
constexpr double kMaxPrice = 1e10;

class SynthSource final : public BarSource {
 public:
  std::span<const Bar> next_span(std::size_t max) override { return next_span_buffered(max); }
  SynthSource(const config::SynthConfig& cfg, std::int64_t timeframe_ns)
      : cfg_(cfg), step_(timeframe_ns), rng_(cfg.seed) {
    auto start = parse_iso(cfg.start);
    if (!start) throw Error(fmt::format("synth: start \"{}\" is not an ISO-8601 time", cfg.start));
    if (cfg.bars < 1) throw Error("synth: bars must be at least 1");
    if (!(cfg.start_price > 0)) throw Error("synth: start_price must be > 0");
    if (!(cfg.volatility > 0)) throw Error("synth: volatility must be > 0");
    if (timeframe_ns <= 0) throw Error("synth: the timeframe must be positive");
    time_ = *start;
    price_ = cfg.start_price;
    new_regime();
  }

  bool next(Bar& out) override {
    if (index_ >= cfg_.bars) return false;
    if (--regime_left_ <= 0) new_regime();
    const double open = round4(price_ * std::exp(0.1 * vol_ * rng_.normal()));  // small gap from the last close
    const double ret = drift_ + vol_ * rng_.normal();
    const double close = round4(open * std::exp(ret));
    const double span = std::abs(ret) + vol_ * 0.6 * std::abs(rng_.normal());
    const double high = round4(std::max(open, close) * (1 + 0.5 * span * rng_.uniform()));
    const double low = round4(std::min(open, close) * (1 - 0.5 * span * rng_.uniform()));
    out.time = time_;
    out.open = std::max(open, 1e-4);
    out.close = std::max(close, 1e-4);
    out.high = std::max({high, out.open, out.close});
    out.low = std::max(std::min({low, out.open, out.close}), 1e-4);
    out.volume = std::round(1000 * std::exp(0.5 * rng_.normal()) * (1 + 20 * std::abs(ret)));
    if (!(out.high <= kMaxPrice)) [[unlikely]]  // a drift compounded over many bars (or inf)
      throw Error(fmt::format("synth(seed={}): the price passed {:g} at bar {} ({}): drift {} per bar compounds over {} "
                              "bars; lower the drift (0 keeps a long minute series around its start price) or the bars",
                              cfg_.seed, kMaxPrice, index_, format_iso(time_), cfg_.drift, cfg_.bars));
    price_ = out.close;
    time_.ns += step_;
    ++index_;
    return true;
  }

  std::string name() const override { return fmt::format("synth(seed={}, bars={})", cfg_.seed, cfg_.bars); }

 private:
  void new_regime() {
    regime_left_ = 200 + static_cast<std::int64_t>(rng_.uniform() * 600);
    // Trends both ways and flat stretches, around the configured drift and volatility.
    const double kind = rng_.uniform();
    const double strength = 2 + 6 * rng_.uniform();
    drift_ = kind < 0.35 ? cfg_.drift + strength * cfg_.volatility * 0.005
             : kind < 0.7 ? cfg_.drift - strength * cfg_.volatility * 0.005
                          : cfg_.drift;
    vol_ = cfg_.volatility * (0.6 + 0.8 * rng_.uniform());
  }

  config::SynthConfig cfg_;
  std::int64_t step_;
  Rng rng_;
  Timestamp time_;
  double price_ = 0;
  std::int64_t index_ = 0;
  std::int64_t regime_left_ = 0;
  double drift_ = 0, vol_ = 0;
};

}  // namespace

std::unique_ptr<BarSource> make_synth(const config::SynthConfig& cfg, std::int64_t timeframe_ns) {
  return std::make_unique<SynthSource>(cfg, timeframe_ns);
}

}  // namespace st
