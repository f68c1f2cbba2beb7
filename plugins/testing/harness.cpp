#include "plugins/testing/harness.h"

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
  if (!context_) start();
  context_->push(Bar{Timestamp{t_}, open, high, low, close, volume});
  t_ += instrument_.timeframe_ns;
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

}  // namespace st::testing
