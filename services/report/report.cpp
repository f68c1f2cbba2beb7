#include "services/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "backend/core/atomic_file.h"
#include "backend/core/diagnostics.h"
#include "backend/data/line_reader.h"
#include "backend/journal/reader.h"

namespace st {
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::string text, why;
  if (!read_file(p.string(), text, why))
    throw Error(fmt::format("{}: cannot read it ({}): is this a run directory of `s1mpletrader backtest`?", p.string(), why));
  return text;
}

void require_file(const std::string& path) {
  if (!fs::is_regular_file(path))
    throw Error(fmt::format("{}: cannot open (is this a run directory of `s1mpletrader backtest`?)", path));
}

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> out;
  for (std::size_t from = 0;;) {
    const std::size_t comma = line.find(',', from);
    out.emplace_back(line.substr(from, comma - from));
    if (comma == line.npos) return out;
    from = comma + 1;
  }
}

std::string esc(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string str(const nlohmann::ordered_json& e, const char* key) {
  if (!e.is_object()) return {};
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// " key=value" for each member of a details object (numbers with six significant digits).
std::string numbers(const nlohmann::ordered_json& obj) {
  std::string out;
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    out += fmt::format(" {}={}", it.key(), it->is_number() ? fmt::format("{:.6g}", it->get<double>()) : it->dump());
  return out;
}

std::string fmt_value(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "n/a";
  if (v.is_number_float()) return fmt::format("{:.6g}", v.get<double>());
  if (v.is_string()) return esc(v.get<std::string>());
  if (v.is_object()) {
    std::string out;
    for (auto it = v.begin(); it != v.end(); ++it)
      out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", esc(it.key()), fmt_value(*it));
    return out;
  }
  return esc(v.dump());
}

std::string svg_chart(const std::string& id, const std::string& title, const ChartSeries& values,
                      const std::string& first_time, const std::string& last_time, const char* color, bool fill_down) {
  constexpr double W = 1000, H = 260, L = 70, R = 10, T = 24, B = 28;
  if (values.count == 0) return "<p>No data.</p>";
  const auto& pts = values.points;
  double lo = values.lo, hi = values.hi;
  if (hi == lo) hi = lo + 1;
  const double n = static_cast<double>(std::max<std::size_t>(values.count - 1, 1));
  auto X = [&](std::size_t i) { return L + (W - L - R) * static_cast<double>(i) / n; };
  auto Y = [&](double v) { return T + (H - T - B) * (1 - (v - lo) / (hi - lo)); };
  std::string path;
  for (const auto& [i, v] : pts) path += fmt::format("{:.1f},{:.1f} ", X(i), Y(v));
  std::string out = fmt::format(
      "<svg id=\"{}\" class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">"
      "<text x=\"{}\" y=\"16\" class=\"title\">{}</text>",
      id, W, H, esc(title), L, esc(title));
  for (int k = 0; k <= 4; ++k) {  // grid and y labels
    const double v = lo + (hi - lo) * k / 4.0;
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" class=\"axis\" text-anchor=\"end\">{:.4g}</text>",
                       L, W - R, Y(v), Y(v), L - 4, Y(v) + 4, v);
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">{}</text><text x=\"{}\" y=\"{}\" class=\"axis\" "
                     "text-anchor=\"end\">{}</text>",
                     L, H - 8, esc(first_time.substr(0, 10)), W - R, H - 8, esc(last_time.substr(0, 10)));
  if (fill_down)
    out += fmt::format("<polygon points=\"{:.1f},{:.1f} {}{:.1f},{:.1f}\" fill=\"{}\" fill-opacity=\"0.25\"/>", X(0), Y(hi),
                       path, X(values.count - 1), Y(hi), color);
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.2\"/></svg>", path, color);
  return out;
}

}  // namespace

EquityReducer::Bucketing::Bucketing(ChartSeries& s, std::size_t n)
    : series(s), rows(n), buckets(kMaxChartPoints / 2), end(n / (kMaxChartPoints / 2)) {}

void EquityReducer::Bucketing::add(double v) {
  ChartSeries& s = series;
  const std::size_t i = s.count++;
  s.lo = i == 0 ? v : std::min(s.lo, v);
  s.hi = i == 0 ? v : std::max(s.hi, v);
  if (rows <= kMaxChartPoints) {  // every value is a point
    s.points.emplace_back(i, v);
    return;
  }
  if (fresh) {
    imin = imax = i;
    vmin = vmax = v;
    fresh = false;
  } else {
    if (v < vmin) imin = i, vmin = v;
    if (v > vmax) imax = i, vmax = v;
  }
  if (i + 1 != end) return;
  s.points.emplace_back(std::min(imin, imax), imin < imax ? vmin : vmax);
  if (imin != imax) s.points.emplace_back(std::max(imin, imax), imin < imax ? vmax : vmin);
  ++bucket;
  end = (bucket + 1) * rows / buckets;
  fresh = true;
}

EquityReducer::EquityReducer(ReportData& data, std::size_t rows)
    : data_(data), equity_(data.equity, rows), drawdown_(data.drawdown, rows) {}

void EquityReducer::add(std::string_view time, double equity) {
  if (equity_.series.count == 0) data_.first_time = time;
  // A month ends at the row before one of the next month.
  const std::string_view month = time.substr(0, 7);
  if (data_.month_ends.empty() || data_.month_ends.back().first != month) data_.month_ends.emplace_back(month, equity);
  data_.month_ends.back().second = equity;
  if (data_.last_time.size() == time.size())  // same length: copied in place, no allocation
    std::copy(time.begin(), time.end(), data_.last_time.begin());
  else
    data_.last_time = time;
  equity_.add(equity);
  peak_ = std::max(peak_, equity);
  drawdown_.add(peak_ > 0 ? -(peak_ - equity) / peak_ * 100.0 : 0.0);
}

namespace {

// Reads equity.csv at `path` into d's charts, month ends and first and last time, with the charts'
// buckets laid out for `rows` rows; false when the file has another number of rows (d is then to
// be read again, with the right count).
bool reduce_equity(ReportData& d, const std::string& path, std::size_t rows) {
  d.equity = {};
  d.drawdown = {};
  d.first_time.clear();
  d.last_time.clear();
  d.month_ends.clear();
  EquityReducer reducer(d, rows);
  LineReader in(path);
  std::string_view line;
  in.next(line);  // header
  while (in.next(line)) {
    if (line.empty()) continue;
    // timestamp,cash,equity,...
    const std::size_t c1 = line.find(','), c2 = c1 == line.npos ? c1 : line.find(',', c1 + 1);
    const std::size_t c3 = c2 == line.npos ? c2 : std::min(line.find(',', c2 + 1), line.size());
    const auto where = [&](std::string_view what) {
      return Error(fmt::format("{}:{}: expected timestamp,cash,equity,drawdown_percent: {}", path, in.line(), what));
    };
    if (c2 == line.npos) throw where("fewer than three columns");
    const std::string_view time = line.substr(0, c1), equity = line.substr(c2 + 1, c3 - c2 - 1);
    if (time.size() < 10 || time[4] != '-' || time[7] != '-' || time[5] < '0' || time[5] > '1' ||
        time[6] < '0' || time[6] > '9')
      throw where(fmt::format("timestamp \"{}\" is not YYYY-MM-DD...", time));
    double value = 0;
    const auto [end, ec] = std::from_chars(equity.data(), equity.data() + equity.size(), value);
    if (ec != std::errc() || end != equity.data() + equity.size())
      throw where(fmt::format("equity \"{}\" is not a number", equity));
    reducer.add(time, value);
  }
  return d.equity.count == rows;
}

}  // namespace

ReportData read_report_data(const std::string& link_dir) {
  const fs::path dir(link_dir);
  ReportData d;
  try {
    d.summary = nlohmann::ordered_json::parse(slurp(dir / "summary.json"));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(fmt::format("{}: corrupt summary at byte {}: {}", (dir / "summary.json").string(), e.byte, e.what()));
  }
  {
    // equity.csv is reduced as it is read, nothing per row kept; the charts' buckets depend on its
    // rows. A run's summary.json says how many (a row per bar): one pass. Without that, or when the
    // file does not have them (edited by hand), its rows are counted first, in a pass of their own.
    const std::string path = (dir / "equity.csv").string();
    require_file(path);
    const auto bars = d.summary.find("bars");
    if (bars == d.summary.end() || !bars->is_number_unsigned() ||
        !reduce_equity(d, path, bars->get<std::size_t>())) {
      std::size_t rows = 0;
      LineReader in(path);
      std::string_view line;
      while (in.next(line)) rows += in.line() > 1 && !line.empty();
      if (!reduce_equity(d, path, rows)) throw Error(fmt::format("{}: changed while it was read", path));
    }
  }
  {
    const std::string path = (dir / "trades.csv").string();
    require_file(path);
    LineReader in(path);
    std::string_view line;
    // Columns by name: the field each header column fills (none for columns not shown).
    using Field = std::string ReportData::Trade::*;
    static const std::pair<std::string_view, Field> kFields[] = {
        {"trade_id", &ReportData::Trade::trade_id},     {"direction", &ReportData::Trade::direction},
        {"entry_time", &ReportData::Trade::entry_time}, {"entry_price", &ReportData::Trade::entry_price},
        {"size", &ReportData::Trade::size},             {"exit_time", &ReportData::Trade::exit_time},
        {"exit_price", &ReportData::Trade::exit_price}, {"exit_reason", &ReportData::Trade::exit_reason},
        {"pnl_net", &ReportData::Trade::pnl_net},       {"bars_held", &ReportData::Trade::bars_held}};
    std::vector<Field> columns;
    if (in.next(line))
      for (const std::string& name : split(line)) {
        columns.push_back(nullptr);
        for (const auto& [known, field] : kFields)
          if (name == known) columns.back() = field;
      }
    while (in.next(line)) {
      if (line.empty()) continue;
      ReportData::Trade& t = d.trades.emplace_back();
      std::size_t column = 0;
      for (std::size_t from = 0; column < columns.size(); ++column) {
        const std::size_t comma = line.find(',', from);
        if (columns[column] != nullptr) t.*columns[column] = line.substr(from, comma - from);
        if (comma == line.npos) break;
        from = comma + 1;
      }
    }
  }
  // The report shows five kinds of entries (a long run has millions of others, e.g. STOP_MOVED):
  // every TRADE_PLANNED and TRADE_CLOSED; the first kMaxRejections OPPORTUNITY_REJECTED (all are
  // counted); the OPPORTUNITY_DETECTED and THREAT_DETECTED entries that those name (a trade's entry
  // and exit signals, the threat that closed it or vetoed an entry). A first pass finds what they
  // name, so the hundreds of thousands of signals no trade took and threats nothing shows are not
  // parsed. Event types and ids are found in the text.
  {
    const std::string path = (dir / "journal.jsonl").string();
    require_file(path);
    const auto shown = [](std::string_view type) {
      return type == "TRADE_PLANNED" || type == "TRADE_CLOSED" || type == "THREAT_DETECTED" ||
             type == "OPPORTUNITY_DETECTED" || type == "OPPORTUNITY_REJECTED";
    };
    std::unordered_set<std::string> opportunities, threats;
    {
      LineReader in(path);
      std::string_view line;
      std::size_t rejections = 0;
      while (in.next(line)) {
        const std::string_view type = journal::string_field(line, "\"event_type\"");
        if (!shown(type)) continue;
        const bool listed = type == "OPPORTUNITY_REJECTED" && ++rejections <= kMaxRejections;
        const bool names_trade = !journal::string_field(line, "\"trade_id\"").empty();
        if (listed || names_trade)  // its threat is shown
          if (const auto id = journal::string_field(line, "\"threat_id\""); !id.empty()) threats.emplace(id);
        if (names_trade)  // its opportunities are in the trade's chain
          for (const std::string_view key : {"\"opportunity_id\"", "\"exit_opportunity_id\""})
            if (const auto id = journal::string_field(line, key); !id.empty()) opportunities.emplace(id);
      }
    }
    const auto may_use = [&](std::string_view line) {
      const std::string_view type = journal::string_field(line, "\"event_type\"");
      if (!shown(type)) return false;
      bool listed = true;
      if (type == "OPPORTUNITY_DETECTED")
        listed = opportunities.count(std::string(journal::string_field(line, "\"opportunity_id\""))) > 0;
      else if (type == "THREAT_DETECTED")
        listed = threats.count(std::string(journal::string_field(line, "\"threat_id\""))) > 0;
      else if (type == "OPPORTUNITY_REJECTED")
        listed = ++d.rejected <= kMaxRejections;
      return listed || !journal::string_field(line, "\"trade_id\"").empty();  // or in a trade's chain
    };
    journal::for_each_entry(path, may_use, [&](const nlohmann::ordered_json& e) {
      const std::string type = str(e, "event_type");
      if (const std::string trade = str(e, "trade_id"); !trade.empty()) {
        ReportData::TradeChain& c = d.chains[trade];
        if (c.opportunity_id.empty()) c.opportunity_id = str(e, "opportunity_id");
        if (type == "TRADE_PLANNED" && e.contains("rationale") && e["rationale"].is_object())
          for (auto r = e["rationale"].begin(); r != e["rationale"].end(); ++r)
            if (r.key() == "exit" || r.key() == "size") c.reasons += "\n" + r->get<std::string>();
        if (type == "TRADE_CLOSED") {
          c.threat_id = str(e, "threat_id");
          c.exit_opportunity_id = str(e, "exit_opportunity_id");
        }
      }
      if (type == "OPPORTUNITY_DETECTED")
        d.opportunities[str(e, "opportunity_id")] =
            fmt::format("{} by {}:{}", str(e, "signal_type"), str(e, "worker"),
                        numbers(e.contains("details") ? e["details"] : nlohmann::ordered_json()));
      if (type == "THREAT_DETECTED")
        d.threats[str(e, "threat_id")] = {str(e, "threat_type"), fmt::format("{} ({}) from {}: {}", str(e, "threat_type"),
                                                                            str(e, "severity"), str(e, "worker"),
                                                                            str(e, "message"))};
      if (type == "OPPORTUNITY_REJECTED" && d.rejected <= kMaxRejections)  // this line's count
        d.rejections.push_back({str(e, "timestamp"), str(e, "opportunity_id"), str(e, "worker"), str(e, "phase"),
                                str(e, "reason"), str(e, "threat_id")});
    });
  }
  return d;
}

std::string render_report_html(const ReportData& d) {
  const auto& s = d.summary;
  std::string h;
  h.reserve(1 << 20);
  h += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
       "content=\"width=device-width, initial-scale=1\">";
  h += fmt::format("<title>S1mpleTrader report: {}</title>", esc(str(s, "link")));
  h += "<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:17px;"
       "margin-top:28px;border-bottom:1px solid #ddd}table{border-collapse:collapse;font-size:12.5px}td,th{padding:3px 8px;"
       "border-bottom:1px solid #eee;text-align:left;vertical-align:top}th{background:#f5f5f5;position:sticky;top:0}"
       "td.num{text-align:right;font-variant-numeric:tabular-nums}.pos{color:#176b2c}.neg{color:#a3211b}"
       ".chart{width:100%;max-width:1000px;height:auto;display:block}.chart .grid{stroke:#eee}.chart .axis{font-size:11px;"
       "fill:#666}.chart .title{font-size:13px;fill:#333}.conv{color:#666;font-size:12px}details{margin:2px 0}"
       "summary{cursor:pointer}.chain{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;"
       "background:#fafafa;padding:6px}.scroll{max-height:520px;overflow:auto}</style></head><body>";
  h += fmt::format("<h1>{} — {} on {} {}</h1>", esc(str(s, "link")), esc(str(s, "blueprint")), esc(str(s, "symbol")),
                   esc(str(s, "timeframe")));
  h += fmt::format("<p>{} bars, {} .. {} · equity {} → {} · {} trades closed, {} open · journal: {} entries</p>",
                   str(s, "bars"), esc(str(s, "first_bar")), esc(str(s, "last_bar")), esc(str(s, "initial_cash")),
                   esc(str(s, "final_equity")), str(s, "trades_closed"), str(s, "trades_open"), str(s, "journal_entries"));

  // Charts.
  h += "<h2>Equity</h2>" +
       svg_chart("equity-chart", "Equity (mark-to-market, every bar)", d.equity, d.first_time, d.last_time, "#1f5fa8", false);
  h += "<h2>Drawdown</h2>" + svg_chart("drawdown-chart", "Drawdown from the running peak (%)", d.drawdown, d.first_time,
                                       d.last_time, "#a3211b", true);

  // Monthly returns (equity at month ends).
  h += "<h2>Monthly returns</h2>";
  if (!d.month_ends.empty()) {
    std::map<std::string, std::map<int, double>> table;  // year -> month -> return
    double prev = std::strtod(str(s, "initial_cash").c_str(), nullptr);
    for (const auto& [month, equity] : d.month_ends) {
      table[month.substr(0, 4)][std::stoi(month.substr(5, 2))] = prev > 0 ? equity / prev - 1 : 0;
      prev = equity;
    }
    h += "<div class=\"scroll\"><table id=\"monthly-returns\"><tr><th>year</th>";
    for (const char* m : {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"})
      h += fmt::format("<th>{}</th>", m);
    h += "<th>year</th></tr>";
    for (const auto& [year, months] : table) {
      h += fmt::format("<tr><td>{}</td>", year);
      double compounded = 1;
      for (int m = 1; m <= 12; ++m) {
        auto it = months.find(m);
        if (it == months.end()) {
          h += "<td></td>";
          continue;
        }
        compounded *= 1 + it->second;
        h += fmt::format("<td class=\"num {}\">{:.2f}%</td>", it->second >= 0 ? "pos" : "neg", it->second * 100);
      }
      h += fmt::format("<td class=\"num {}\">{:.2f}%</td></tr>", compounded >= 1 ? "pos" : "neg", (compounded - 1) * 100);
    }
    h += "</table></div>";
  }

  // Metrics with conventions.
  h += "<h2>Metrics</h2><table id=\"metrics\"><tr><th>metric</th><th>value</th><th>convention</th></tr>";
  if (s.contains("metrics"))
    for (auto it = s["metrics"].begin(); it != s["metrics"].end(); ++it) {
      const auto conv = s["conventions"].find(it.key());
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"conv\">{}</td></tr>", esc(it.key()),
                       fmt_value(*it), conv != s["conventions"].end() ? esc(conv->get<std::string>()) : "");
    }
  h += "</table>";
  if (s.contains("conventions"))
    h += fmt::format("<p class=\"conv\">Preset {}; annualization {} ({}); risk-free rate {}; returns: {}.</p>",
                     esc(str(s["conventions"], "preset")), str(s["conventions"], "annualization"),
                     esc(str(s["conventions"], "annualization_reason")), str(s["conventions"], "risk_free_rate"),
                     esc(str(s["conventions"], "return_sampling")));

  // Every trade with its causal chain, as compact data rendered one page at a time by a small
  // inline script: a run with tens of thousands of trades opens as fast as a small one.
  auto short_time = [](const std::string& t) { return t.size() >= 16 ? t.substr(0, 10) + " " + t.substr(11, 5) : t; };
  std::string data = "[";  // [[side, entry, price, size, exit, price, reason, pnl, bars, chain], ...]
  const auto add = [&data](const std::string& text, char after) {
    data += nlohmann::json(text).dump();
    data += after;
  };
  for (const auto& t : d.trades) {
    const std::string& id = t.trade_id;
    std::string chain = id;
    std::string opp, threat, exit_opp;
    if (auto it = d.chains.find(id); it != d.chains.end()) {
      chain += it->second.reasons;
      opp = it->second.opportunity_id;
      threat = it->second.threat_id;
      exit_opp = it->second.exit_opportunity_id;
    }
    if (auto o = d.opportunities.find(opp); o != d.opportunities.end()) chain += "\n" + o->second;
    if (auto th = d.threats.find(threat); th != d.threats.end()) chain += "\nthreat " + th->second.text;
    if (auto x = d.opportunities.find(exit_opp); x != d.opportunities.end()) chain += "\nexit: " + x->second;
    data += data.size() == 1 ? "[" : ",[";
    data += t.direction == "SHORT" ? "\"S\"," : "\"L\",";
    add(short_time(t.entry_time), ',');
    add(t.entry_price, ',');
    add(t.size, ',');
    add(short_time(t.exit_time), ',');
    add(t.exit_price, ',');
    add(t.exit_reason, ',');
    add(t.pnl_net, ',');
    add(t.bars_held, ',');
    add(chain, ']');
  }
  data += ']';
  for (std::size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at + 3)) data.replace(at, 2, "<\\/");
  h += fmt::format("<h2>Trades ({})</h2><p class=\"conv\">Open a row's <em>why</em> for its causal chain; "
                   "<code>s1mpletrader explain --run DIR TRADE_ID</code> prints all of it.</p>"
                   "<p id=\"pager\"><button id=\"prev\" type=\"button\">&lt;</button> <span id=\"page\"></span> "
                   "<button id=\"next\" type=\"button\">&gt;</button></p>"
                   "<table id=\"trades\"><thead><tr><th>#</th><th>side</th><th>entry</th><th>price</th><th>size</th>"
                   "<th>exit</th><th>price</th><th>reason</th><th>pnl net</th><th>bars</th><th>causal chain</th></tr></thead>"
                   "<tbody id=\"trade-rows\"></tbody></table>",
                   d.trades.size());
  h += "<script>(function(){const T=" + data + R"JS(;
const PAGE=200;let page=0;const body=document.getElementById('trade-rows');
function cell(tr,text,cls){const td=document.createElement('td');td.textContent=text;if(cls)td.className=cls;tr.appendChild(td);return td;}
function show(p){page=Math.max(0,Math.min(p,Math.ceil(T.length/PAGE)-1));body.textContent='';
const f=document.createDocumentFragment();
for(let i=page*PAGE;i<Math.min(T.length,(page+1)*PAGE);i++){const r=T[i];const tr=document.createElement('tr');tr.id='t'+(i+1);
cell(tr,String(i+1));for(let k=0;k<9;k++)cell(tr,r[k],k===7?(r[7].startsWith('-')?'num neg':'num pos'):(k===1||k===4||k===6||k===0?'':'num'));
const d=document.createElement('details');const s=document.createElement('summary');s.textContent='why';d.appendChild(s);
const c=document.createElement('div');c.className='chain';c.textContent=r[9];d.appendChild(c);tr.appendChild(document.createElement('td')).appendChild(d);f.appendChild(tr);}
body.appendChild(f);document.getElementById('page').textContent=T.length?('trades '+(page*PAGE+1)+'-'+Math.min(T.length,(page+1)*PAGE)+' of '+T.length):'no trades';}
document.getElementById('prev').onclick=function(){show(page-1);};document.getElementById('next').onclick=function(){show(page+1);};
function go(){const m=/^#t(\d+)$/.exec(location.hash);if(m){show(Math.floor((+m[1]-1)/PAGE));const el=document.getElementById('t'+m[1]);if(el){el.querySelector('details').open=true;el.scrollIntoView();}}else show(page);}
window.addEventListener('hashchange',go);go();})();</script>)JS";

  const std::size_t rejections = std::max(d.rejected, d.rejections.size());
  h += fmt::format("<h2>Rejected opportunities ({})</h2>", rejections);
  if (s.contains("rejections_by_reason") && !s["rejections_by_reason"].empty()) {
    h += "<table id=\"rejections-by-reason\"><tr><th>reason</th><th>count</th></tr>";
    for (auto it = s["rejections_by_reason"].begin(); it != s["rejections_by_reason"].end(); ++it)
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>", esc(it.key()), it->dump());
    h += "</table>";
  }
  h += "<div class=\"scroll\"><table id=\"rejections\"><tr><th>time</th><th>opportunity</th><th>rejected by</th>"
       "<th>phase</th><th>reason</th><th>threat</th></tr>";
  for (std::size_t k = 0; k < d.rejections.size() && k < kMaxRejections; ++k) {
    const ReportData::Rejection& r = d.rejections[k];
    const auto th = d.threats.find(r.threat_id);
    h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(r.timestamp),
                     esc(r.opportunity_id.substr(0, 8)), esc(r.worker), esc(r.phase), esc(r.reason),
                     esc(th != d.threats.end() ? th->second.type : r.threat_id));
  }
  if (rejections > kMaxRejections)
    h += fmt::format("<tr><td colspan=\"6\">… {} more in journal.jsonl (OPPORTUNITY_REJECTED)</td></tr>",
                     rejections - kMaxRejections);
  h += "</table></div><p class=\"conv\">Generated by S1mpleTrader from the run directory; self-contained, no network "
       "access.</p></body></html>\n";
  return h;
}

std::string write_report(const std::string& link_dir) {
  const std::string html = render_report_html(read_report_data(link_dir));
  const fs::path path = fs::path(link_dir) / "report.html";
  write_file_atomic(path.string(), html);
  return path.string();
}

}  // namespace st
