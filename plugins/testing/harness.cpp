#include "plugins/testing/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "backend/core/random.h"

namespace st::testing {

Harness::Harness(InstrumentInfo instrument) : instrument_(std::move(instrument)) {
  Diagnostics diags;
  registry_ = std::make_unique<PluginRegistry>(PluginRegistry::load({}, diags));
  if (!diags.empty()) throw Error(std::move(diags));
  bind_ = std::make_unique<BindContext>(schema_, instrument_);
}

Worker* Harness::build(WorkerCategory category, const std::string& plugin, std::map<std::string, ParamValue> params,
                       std::string id) {
  config::WorkerConfig wc;
  wc.plugin = plugin;
  wc.id = id.empty() ? plugin + "_" + std::to_string(workers_.size()) : id;
  for (auto& [k, v] : params) wc.params[k] = config::ParamEntry{std::move(v), {}};
  WorkerServices services;
  services.state = &state;
  services.journal = &journal;
  services.state_key_prefix = "test.";
  workers_.push_back(build_worker(*registry_, wc, category, services, *bind_, "test-blueprint.yaml"));
  if (auto* c = dynamic_cast<ContextWorker*>(workers_.back().get())) context_workers_.push_back(c);
  return workers_.back().get();
}

TradingContext& Harness::start() {
  context_ = std::make_unique<TradingContext>(schema_, instrument_);
  return *context_;
}

void Harness::push(double open, double high, double low, double close, double volume) {
  const Bar bar{Timestamp{t_}, open, high, low, close, volume};
  t_ += instrument_.timeframe_ns;
  push(bar);
}

void Harness::push(const Bar& bar) {
  if (!context_) start();
  context_->push(bar);
  for (auto* w : context_workers_) w->process(*context_);
}

Signal make_signal(Direction d, Timestamp t) {
  Signal s;
  s.opportunity_id = OpportunityId{Uuid{0x1111, 0x2222}};
  s.time = t;
  s.direction = d;
  s.signal_type = "test";
  return s;
}

}  // namespace st::testing

#include <cmath>
#include <fstream>
#include <sstream>

namespace st::testing {

std::size_t Table::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw Error("no column " + name);
}

double Table::number(std::size_t row, const std::string& name) const {
  const std::string& s = rows[row][column(name)];
  return s.empty() ? std::nan("") : std::stod(s);
}

Table read_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open " + path);
  Table t;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    if (first) t.header = fields, first = false;
    else t.rows.push_back(fields);
  }
  return t;
}

std::string shared_dir() {
#ifdef ST_SHARED_DIR
  return ST_SHARED_DIR;
#else
  return "../shared";
#endif
}

void expect_blocks_match_bars(const ContextChain& chain, const std::vector<Bar>& bars,
                              const std::vector<std::size_t>& block_sizes) {
  Harness by_bar, by_block;
  std::vector<ContextWorker*> workers;
  for (const auto& [plugin, params] : chain) {
    by_bar.add<ContextWorker>(WorkerCategory::kContext, plugin, params);
    workers.push_back(&by_block.add<ContextWorker>(WorkerCategory::kContext, plugin, params));
  }
  const std::size_t n_columns = by_bar.schema().names().size();
  ASSERT_EQ(by_block.schema().names().size(), n_columns);
  ASSERT_GT(n_columns, columns::kFirstEnrichment) << "the chain declares no column";
  std::vector<std::vector<double>> want(n_columns);  // per column, per bar
  for (const Bar& b : bars) {
    by_bar.push(b.open, b.high, b.low, b.close, b.volume);
    for (ColumnId c = columns::kFirstEnrichment; c < n_columns; ++c) want[c].push_back(by_bar.ctx().value(c));
  }
  std::size_t capacity = 1;
  for (const std::size_t k : block_sizes) capacity = std::max(capacity, k);
  ContextBlock block(by_block.schema(), capacity);
  const auto same = [](double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
  };
  std::size_t at = 0;
  for (std::size_t k = 0; at < bars.size(); ++k) {
    const std::size_t size = std::min(block_sizes[k % block_sizes.size()], bars.size() - at);
    block.begin(std::span<const Bar>(bars).subspan(at, size), static_cast<std::int64_t>(at));
    for (ContextWorker* w : workers) {
      block.set_worker(&w->info().id);
      ASSERT_TRUE(w->process_block(block)) << w->info().id << " refused block " << k;
      block.commit();
    }
    for (ColumnId c = columns::kFirstEnrichment; c < n_columns; ++c) {
      const double* got = block.values(c);
      ASSERT_NE(got, nullptr) << "column " << by_block.schema().names()[c] << " was not written";
      for (std::size_t j = 0; j < size; ++j)
        ASSERT_TRUE(same(got[j], want[c][at + j]))
            << by_block.schema().names()[c] << " at bar " << at + j << ": block " << got[j] << ", bar by bar "
            << want[c][at + j];
    }
    at += size;
  }
}

std::vector<Bar> random_bars(std::size_t n, std::uint64_t seed) {
  Xoshiro256 rng(seed);
  std::vector<Bar> bars;
  double close = 100;
  for (std::size_t i = 0; i < n; ++i) {
    Bar b;
    b.time = Timestamp{static_cast<std::int64_t>(i) * 60'000'000'000};
    b.open = i % 97 == 0 ? close * (1 + (rng.uniform() - 0.5) * 0.05) : close;  // a gap now and then
    close = b.open * (1 + (rng.uniform() - 0.5) * 0.01);
    if (i % 53 == 0) close = b.open;  // a flat bar
    b.close = close;
    b.high = std::max(b.open, b.close) * (1 + rng.uniform() * 0.003);
    b.low = std::min(b.open, b.close) * (1 - rng.uniform() * 0.003);
    b.volume = std::floor(rng.uniform() * 10000);
    bars.push_back(b);
  }
  return bars;
}

}  // namespace st::testing
