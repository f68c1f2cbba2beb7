#include "backend/dataio/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "backend/core/time.h"
#include "backend/data/csv.h"
#include "backend/data/line_reader.h"
#include "backend/data/text.h"
#include "backend/parquet/parquet_reader.h"

namespace st {

namespace {

constexpr const char* kFormatNames[] = {"auto", "generic", "yahoo", "binance", "backtrader", "freqtrade-json", "parquet"};


std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Fields of a CSV line with their 1-based columns (no quoted commas in these dialects).
struct Fields {
  std::vector<std::string_view> text;
  std::vector<std::size_t> col;
  void split(std::string_view line) {
    text.clear();
    col.clear();
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      col.push_back(start + 1);
      text.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
};

bool all_digits(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An epoch number in s, ms, us or ns, told by its number of digits (for times after 1973).
std::optional<Timestamp> epoch_by_magnitude(std::string_view s, const char** unit) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  const std::size_t digits = s.size();
  if (digits <= 10) return *unit = "s", Timestamp{v * 1'000'000'000};
  if (digits <= 13) return *unit = "ms", Timestamp{v * 1'000'000};
  if (digits <= 16) return *unit = "us", Timestamp{v * 1'000};
  if (digits <= 19) return *unit = "ns", Timestamp{v};
  return std::nullopt;
}

}  // namespace

std::optional<DataFormat> parse_data_format(std::string_view text) {
  for (int i = 0; i < 7; ++i)
    if (text == kFormatNames[i]) return static_cast<DataFormat>(i);
  return std::nullopt;
}

const char* to_string(DataFormat f) { return kFormatNames[static_cast<int>(f)]; }

std::optional<parquet::TimeUnit> parse_time_unit(std::string_view text) {
  using U = parquet::TimeUnit;
  if (text == "auto") return U::kAuto;
  if (text == "s") return U::kSeconds;
  if (text == "ms") return U::kMillis;
  if (text == "us") return U::kMicros;
  if (text == "ns") return U::kNanos;
  return std::nullopt;
}

std::optional<parquet::NullPolicy> parse_null_policy(std::string_view text) {
  using N = parquet::NullPolicy;
  if (text == "refuse") return N::kRefuse;
  if (text == "skip_row") return N::kSkipRow;
  if (text == "fill_previous") return N::kFillPrevious;
  return std::nullopt;
}

DataFormat detect_data_format(const std::string& path) {
  const std::string ext = lower_ascii(std::filesystem::path(path).extension().string());
  if (ext == ".parquet" || ext == ".pq") return DataFormat::kParquet;
  if (ext == ".json") return DataFormat::kFreqtradeJson;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() == 4 && std::string_view(magic, 4) == "PAR1") return DataFormat::kParquet;
  in.clear();
  in.seekg(0);
  std::string first;
  std::getline(in, first);
  if (first.rfind("\xEF\xBB\xBF", 0) == 0) first.erase(0, 3);
  const std::string l = lower_ascii(first);
  if (!l.empty() && l[0] == '[') return DataFormat::kFreqtradeJson;
  if (l.find("adj close") != std::string::npos) return DataFormat::kYahoo;
  if (l.rfind("date,", 0) == 0 && l.find("openinterest") != std::string::npos) return DataFormat::kBacktrader;
  if (l.rfind("open_time", 0) == 0) return DataFormat::kBinance;
  Fields f;
  f.split(first);
  if (f.text.size() >= 11 && all_digits(f.text[0])) return DataFormat::kBinance;
  return DataFormat::kGeneric;
}

// ---- DataStats ---------------------------------------------------------------------------

void DataStats::add(const Bar& bar) {
  if (rows_ == 0) {
    first_ = bar.time;
  } else {
    const std::int64_t step = bar.time.ns - last_.ns;
    // Bounded: a series with thousands of distinct steps has no timeframe worth naming anyway.
    if (auto it = steps_.find(step); it != steps_.end()) ++it->second;
    else if (steps_.size() < 4096) steps_.emplace(step, 1);
    if (step > largest_gap_) {
      largest_gap_ = step;
      largest_gap_after_ = last_;
    }
  }
  last_ = bar.time;
  ++rows_;
  if (bar.volume == 0) ++zero_volume_;
  if (bar.high == bar.low) ++flat_;
}

std::int64_t DataStats::timeframe_ns() const {
  std::int64_t best = 0, count = 0;
  for (const auto& [step, n] : steps_)
    if (n > count) best = step, count = n;
  return best;
}

std::int64_t DataStats::gaps() const {
  const std::int64_t tf = timeframe_ns();
  std::int64_t n = 0;
  for (const auto& [step, c] : steps_)
    if (tf > 0 && step > tf) n += c;
  return n;
}

std::int64_t DataStats::missing_bars() const {
  const std::int64_t tf = timeframe_ns();
  std::int64_t n = 0;
  for (const auto& [step, c] : steps_)
    if (tf > 0 && step > tf) n += (step / tf - 1) * c;
  return n;
}

namespace {
std::string duration_text(std::int64_t ns) {
  if (ns <= 0) return "-";
  if (ns % kNsPerDay == 0) return fmt::format("{}d", ns / kNsPerDay);
  if (ns % kNsPerHour == 0) return fmt::format("{}h", ns / kNsPerHour);
  if (ns % kNsPerMinute == 0) return fmt::format("{}m", ns / kNsPerMinute);
  if (ns % kNsPerSecond == 0) return fmt::format("{}s", ns / kNsPerSecond);
  return fmt::format("{}ns", ns);
}
}  // namespace

std::string DataStats::to_text() const {
  if (rows_ == 0) return "rows        0\n";
  std::string s = fmt::format("rows        {}\nrange       {} .. {}\ntimeframe   {}\n", rows_, format_iso(first_),
                              format_iso(last_), duration_text(timeframe_ns()));
  s += fmt::format("gaps        {} (steps longer than the timeframe; {} bars missing", gaps(), missing_bars());
  if (gaps() > 0)
    s += fmt::format("; longest {} after {}", duration_text(largest_gap_), format_iso(largest_gap_after_));
  s += ")\n";
  s += fmt::format("zero volume {}\nhigh == low {}\n", zero_volume_, flat_);
  return s;
}

// ---- ImportSource ------------------------------------------------------------------------

class ImportSource::Impl {
 public:
  Impl(const std::string& path, const ImportOptions& options, ImportReport& report)
      : path_(path), options_(options), report_(report) {}
  virtual ~Impl() = default;
  virtual bool read(Bar& out) = 0;  // the next well-formed bar, bad rows recorded

 protected:
  // A bad row: recorded; thrown at once when strict.
  void bad(std::int64_t line, std::size_t col, std::string_view column, std::string message) {
    ++report_.bad_rows;
    if (report_.errors.size() < std::max<std::size_t>(options_.max_errors, 1))
      report_.errors.push_back({{path_, static_cast<int>(line), static_cast<int>(col)}, std::string(column), std::move(message)});
    if (!options_.skip_bad && report_.bad_rows > static_cast<std::int64_t>(options_.max_errors)) {
      Diagnostics d;
      for (const auto& e : report_.errors) d.add(e);
      if (options_.max_errors > 0)
        d.add({{path_, 0, 0}, "", fmt::format("stopped after {} bad rows (use --skip-bad to skip them)", report_.bad_rows)});
      throw Error(std::move(d));
    }
  }

  bool number(std::string_view field, std::int64_t line, std::size_t col, const char* column, double& v) {
    if (field.empty()) return bad(line, col, column, "empty field; expected a number"), false;
    const char* begin = field.data();
    if (*begin == '+') ++begin;
    auto [p, ec] = std::from_chars(begin, field.data() + field.size(), v);
    if (ec != std::errc() || p != field.data() + field.size() || !std::isfinite(v))
      return bad(line, col, column, fmt::format("expected a finite number, found {}", shown(field))), false;
    if (v < 0) return bad(line, col, column, fmt::format("expected a value >= 0, found {}", shown(field))), false;
    return true;
  }

  // OHLC rules and time order (as the CSV reader); false (recorded) when the bar is refused.
  bool accept(Bar& b, std::int64_t line, const std::size_t* cols) {
    const double prices[4] = {b.open, b.high, b.low, b.close};
    const char* names[4] = {"open", "high", "low", "close"};
    for (int i = 0; i < 4; ++i)
      if (prices[i] <= 0) return bad(line, cols[i + 1], names[i], fmt::format("expected a price > 0, found {}", prices[i])), false;
    if (b.high < b.low) return bad(line, cols[2], "high", fmt::format("high {} is below low {}", b.high, b.low)), false;
    if (b.high < std::max(b.open, b.close))
      return bad(line, cols[2], "high", fmt::format("high {} is below max(open, close) {}", b.high, std::max(b.open, b.close))), false;
    if (b.low > std::min(b.open, b.close))
      return bad(line, cols[3], "low", fmt::format("low {} is above min(open, close) {}", b.low, std::min(b.open, b.close))), false;
    if (have_previous_ && b.time <= previous_) {
      const bool dup = b.time == previous_;
      ++(dup ? report_.duplicates : report_.out_of_order);
      return bad(line, cols[0], "timestamp",
                 fmt::format("{} {} the previous row's {} (line {}); rows must be strictly increasing in time",
                             format_iso(b.time), dup ? "duplicates" : "is before", format_iso(previous_), previous_line_)),
             false;
    }
    previous_ = b.time;
    previous_line_ = line;
    have_previous_ = true;
    return true;
  }

  const std::string& path_;
  const ImportOptions& options_;
  ImportReport& report_;

 private:
  Timestamp previous_;
  std::int64_t previous_line_ = 0;
  bool have_previous_ = false;
};

namespace {

// Every CSV dialect: a header (or none, for binance) mapped to column indices.
class CsvImport final : public ImportSource::Impl {
 public:
  CsvImport(const std::string& path, const ImportOptions& options, ImportReport& report, DataFormat format)
      : Impl(path, options, report), lines_(path), format_(format) {
    if (format_ == DataFormat::kBinance) {
      // open_time, open, high, low, close, volume, close_time, ... ; a header line is allowed.
      idx_ = {0, 1, 2, 3, 4, 5};
      min_fields_ = 6;
      std::string_view first;
      if (lines_.next(first)) {
        Fields f;
        f.split(first);
        if (!f.text.empty() && all_digits(f.text[0])) pending_.assign(first);
        has_pending_ = !pending_.empty();
        pending_line_ = lines_.line();
      }
      return;
    }
    std::string_view header;
    if (!lines_.next(header)) throw Error(fmt::format("{}:1:1: empty file; expected a header", path_));
    map_header(header);
  }

  bool read(Bar& out) override {
    std::string_view line;
    while (true) {
      std::int64_t n = 0;
      if (has_pending_) {
        line = pending_;
        n = pending_line_;
        has_pending_ = false;
      } else {
        if (!lines_.next(line)) return false;
        n = lines_.line();
      }
      if (trim(line).empty()) continue;
      if (parse(line, n, out)) return true;
    }
  }

 private:
  void map_header(std::string_view header) {
    Fields f;
    f.split(header);
    header_fields_ = f.text.size();
    auto find = [&](std::initializer_list<const char*> names) -> int {
      for (std::size_t i = 0; i < f.text.size(); ++i)
        for (const char* n : names)
          if (lower_ascii(f.text[i]) == n) return static_cast<int>(i);
      return -1;
    };
    idx_ = {find({"timestamp", "time", "datetime", "date", "open_time", "open time"}), find({"open", "o"}),
            find({"high", "h"}), find({"low", "l"}), find({"close", "c"}), find({"volume", "vol", "v"})};
    if (format_ == DataFormat::kBacktrader || format_ == DataFormat::kYahoo) {
      idx_[0] = find({"date"});
      clock_ = format_ == DataFormat::kBacktrader ? find({"time"}) : -1;
    } else if (const int d = find({"date"}), t = find({"time"}); d >= 0 && t >= 0 && idx_[0] == t) {
      idx_[0] = d, clock_ = t;  // separate date and time columns
    }
    const char* names[6] = {"timestamp", "open", "high", "low", "close", "volume"};
    for (int i = 0; i < 6; ++i) {
      const std::string& wanted = options_.columns[static_cast<std::size_t>(i)];
      if (wanted.empty()) continue;
      const std::string w = lower_ascii(wanted);
      idx_[i] = -1;
      for (std::size_t k = 0; k < f.text.size(); ++k)
        if (lower_ascii(f.text[k]) == w) idx_[i] = static_cast<int>(k);
      if (idx_[i] < 0)
        throw Error(fmt::format("{}:1:1: the header has no column \"{}\" (the {} column asked for); found: {}", path_,
                                wanted, names[i], header));
      if (i == 0) clock_ = -1;
    }
    for (int i = 0; i < 6; ++i)
      if (idx_[i] < 0)
        throw Error(fmt::format("{}:1:1: the header has no {} column ({} format); found: {}", path_,
                                i == 0 ? "time (timestamp, time, datetime or date)" : names[i], to_string(format_),
                                header));
    if (format_ == DataFormat::kYahoo && find({"adj close", "adj_close", "adjclose"}) < 0)
      report_.notes.push_back("no Adj Close column: read as a yahoo file anyway");
    if (format_ == DataFormat::kYahoo)
      report_.notes.push_back("yahoo: raw Open/High/Low/Close kept, Adj Close dropped (not dividend-adjusted)");
    min_fields_ = static_cast<std::size_t>(*std::max_element(idx_.begin(), idx_.end())) + 1;
  }

  bool parse(std::string_view line, std::int64_t n, Bar& out) {
    fields_.split(line);
    std::array<int, 6> idx = idx_;
    int clock = clock_;
    // backtrader's known broken header: Date,Open,... over Date,Time,Open,... rows.
    if (format_ == DataFormat::kBacktrader && clock_ < 0 && fields_.text.size() == header_fields_ + 1 &&
        fields_.text[1].size() >= 5 && fields_.text[1][2] == ':') {
      clock = 1;
      for (int i = 1; i < 6; ++i) ++idx[i];
      if (!noted_shift_) {
        report_.notes.push_back(fmt::format(
            "line {}: rows have one field more than the header: read as Date,Time,Open,High,Low,Close,Volume,...", n));
        noted_shift_ = true;
      }
    }
    const std::size_t needed = static_cast<std::size_t>(std::max({idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], clock})) + 1;
    if (fields_.text.size() < needed)
      return bad(n, line.size() + 1, "", fmt::format("{} fields, expected at least {}", fields_.text.size(), needed)), false;
    std::size_t cols[6];
    for (int i = 0; i < 6; ++i) cols[i] = fields_.col[static_cast<std::size_t>(idx[i])];
    if (!time(fields_.text[static_cast<std::size_t>(idx[0])], clock >= 0 ? fields_.text[static_cast<std::size_t>(clock)] : std::string_view{}, n, cols[0], out.time))
      return false;
    const char* names[6] = {"timestamp", "open", "high", "low", "close", "volume"};
    double* values[5] = {&out.open, &out.high, &out.low, &out.close, &out.volume};
    for (int i = 1; i < 6; ++i) {
      std::string_view f = fields_.text[static_cast<std::size_t>(idx[i])];
      if (format_ == DataFormat::kYahoo && (f == "null" || f == "NaN"))
        return bad(n, cols[i], names[i], fmt::format("no value ({}); yahoo leaves days without trading empty", shown(f))), false;
      if (!number(f, n, cols[i], names[i], *values[i - 1])) return false;
    }
    return accept(out, n, cols);
  }

  bool time(std::string_view field, std::string_view clock, std::int64_t n, std::size_t col, Timestamp& out) {
    const char* unit = nullptr;
    std::optional<Timestamp> t;
    if (all_digits(field) && options_.epoch_unit_ns > 0) {
      std::int64_t v = 0;
      if (std::from_chars(field.data(), field.data() + field.size(), v).ec == std::errc() &&
          v <= std::numeric_limits<std::int64_t>::max() / options_.epoch_unit_ns)
        t = Timestamp{v * options_.epoch_unit_ns};
    } else if (all_digits(field)) {
      t = epoch_by_magnitude(field, &unit);
      if (t && format_ == DataFormat::kBinance && unit != last_unit_) {
        if (last_unit_ != nullptr)
          report_.notes.push_back(fmt::format("line {}: epoch unit changes from {} to {}", n, last_unit_, unit));
        last_unit_ = unit;
      }
    } else if (!clock.empty()) {
      t = parse_iso(fmt::format("{}T{}", field, clock));
      if (t) t->ns -= options_.utc_offset_seconds * kNsPerSecond;
    } else {
      t = parse_iso(field);
      if (t && format_ == DataFormat::kBacktrader) t->ns -= options_.utc_offset_seconds * kNsPerSecond;
    }
    if (!t)
      return bad(n, col, "timestamp",
                 fmt::format("expected a time (ISO-8601, a date, or an epoch number), found {}{}", shown(field),
                             clock.empty() ? "" : fmt::format(" {}", shown(clock)))),
             false;
    out = *t;
    return true;
  }

  LineReader lines_;
  DataFormat format_;
  std::array<int, 6> idx_{};
  int clock_ = -1;
  std::size_t header_fields_ = 0, min_fields_ = 6;
  Fields fields_;
  std::string pending_;
  bool has_pending_ = false;
  std::int64_t pending_line_ = 0;
  bool noted_shift_ = false;
  const char* last_unit_ = nullptr;
};

// freqtrade's JSON: [[open_time_ms, open, high, low, close, volume], ...], read as a stream.
class FreqtradeJsonImport final : public ImportSource::Impl {
 public:
  FreqtradeJsonImport(const std::string& path, const ImportOptions& options, ImportReport& report)
      : Impl(path, options, report) {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    skip_ws();
    if (peek() != '[') fatal("expected '[' (a JSON array of [time, open, high, low, close, volume] rows)");
    get();
  }
  ~FreqtradeJsonImport() override { std::fclose(file_); }

  bool read(Bar& out) override {
    while (true) {
      skip_ws();
      if (done_) return false;
      if (peek() == ']' ) {
        get();
        skip_ws();
        if (peek() != EOF) fatal("unexpected text after the closing ']'");
        done_ = true;
        return false;
      }
      if (rows_ > 0) {
        if (peek() != ',') fatal("expected ',' or ']' between rows");
        get();
        skip_ws();
      }
      ++rows_;
      if (row(out)) return true;
    }
  }

 private:
  [[noreturn]] void fatal(const std::string& what) const {
    throw Error(fmt::format("{}:{}:{}: {}{}", path_, line_, col_, what,
                            peek_ == EOF ? ", found the end of the file" : fmt::format(", found '{}'", static_cast<char>(peek_))));
  }
  int peek() {
    if (!peeked_) peek_ = std::getc(file_), peeked_ = true;
    return peek_;
  }
  int get() {
    const int c = peek();
    peeked_ = false;
    if (c == '\n') ++line_, col_ = 1;
    else ++col_;
    return c;
  }
  void skip_ws() {
    while (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t') get();
  }

  // One row; false (recorded) when it is refused. Malformed structure is fatal.
  bool row(Bar& out) {
    if (peek() != '[') fatal("expected '[' starting a row");
    const std::int64_t row_line = line_;
    const std::size_t row_col = static_cast<std::size_t>(col_);
    get();
    std::string token;
    double v[6] = {};
    std::size_t cols[6] = {};
    int n = 0;
    bool ok = true;
    while (true) {
      skip_ws();
      if (peek() == ']') {
        get();
        break;
      }
      if (n > 0) {
        if (peek() != ',') fatal("expected ',' or ']' in a row");
        get();
        skip_ws();
      }
      token.clear();
      const std::size_t at = static_cast<std::size_t>(col_);
      while (token.size() < 64 && peek() != EOF && (std::isalnum(peek()) || peek() == '.' || peek() == '-' || peek() == '+'))
        token.push_back(static_cast<char>(get()));
      if (token.empty()) fatal("expected a number");
      if (n < 6) {
        cols[n] = at;
        const char* names[6] = {"timestamp", "open", "high", "low", "close", "volume"};
        if (ok && !number(token, line_, at, names[n], v[n])) ok = false;
      }
      ++n;
    }
    if (!ok) return false;
    if (n != 6) return bad(row_line, row_col, "", fmt::format("{} values in the row, expected 6 [time, open, high, low, close, volume]", n)), false;
    out.time = Timestamp{static_cast<std::int64_t>(std::llround(v[0])) * 1'000'000};
    out.open = v[1], out.high = v[2], out.low = v[3], out.close = v[4], out.volume = v[5];
    return accept(out, row_line, cols);
  }

  std::FILE* file_ = nullptr;
  int peek_ = 0;
  bool peeked_ = false;
  std::int64_t line_ = 1, col_ = 1;
  std::int64_t rows_ = 0;
  bool done_ = false;
};

}  // namespace

ImportSource::ImportSource(std::string path, ImportOptions options) : path_(std::move(path)) {
  if (options.format == DataFormat::kAuto) options.format = detect_data_format(path_);
  report_.format = options.format;
  options_ = options;
  switch (options_.format) {
    case DataFormat::kFreqtradeJson:
      impl_ = std::make_unique<FreqtradeJsonImport>(path_, options_, report_);
      break;
    case DataFormat::kParquet:
      throw Error(fmt::format("{}: a Parquet file is read with open_bars, not imported as text", path_));
    default:
      impl_ = std::make_unique<CsvImport>(path_, options_, report_, options_.format);
  }
}

ImportSource::~ImportSource() = default;

bool ImportSource::next(Bar& out) { return impl_->read(out); }

std::unique_ptr<BarSource> open_bars(const std::string& path, const BarFileOptions& options) {
  const DataFormat format = options.format == DataFormat::kAuto ? detect_data_format(path) : options.format;
  const bool mapped = std::any_of(options.columns.begin(), options.columns.end(), [](const auto& s) { return !s.empty(); });
  if (format == DataFormat::kParquet) {
    parquet::OhlcvMapping m;
    std::string* fields[6] = {&m.time, &m.open, &m.high, &m.low, &m.close, &m.volume};
    for (std::size_t i = 0; i < 6; ++i)
      if (!options.columns[i].empty()) *fields[i] = options.columns[i];
    m.unit = options.time_unit;
    m.nulls = options.nulls;
    return parquet::open_parquet_bars(path, m);
  }
  if (format == DataFormat::kGeneric && !mapped && options.time_unit == parquet::TimeUnit::kAuto) {
    std::ifstream in(path);
    std::string header;
    std::getline(in, header);
    if (!header.empty() && header.back() == '\r') header.pop_back();
    if (header == "timestamp,open,high,low,close,volume") return open_csv(path);  // the fast reader
  }
  ImportOptions strict;
  strict.format = format;
  strict.max_errors = 0;
  strict.columns = options.columns;
  strict.epoch_unit_ns = parquet::ns_per(options.time_unit);
  strict.utc_offset_seconds = options.utc_offset_seconds;
  return std::make_unique<ImportSource>(path, strict);
}

}  // namespace st
