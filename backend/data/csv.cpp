#include "backend/data/csv.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"
#include "backend/data/line_reader.h"
#include "backend/data/text.h"

namespace st {

namespace {

constexpr const char* kColumns[] = {"timestamp", "open", "high", "low", "close", "volume"};
constexpr std::size_t kChunk = 1 << 20;


class CsvBarSource final : public BarSource {
 public:
  std::span<const Bar> next_span(std::size_t max) override { return next_span_buffered(max); }
  explicit CsvBarSource(std::string path) : lines_(std::move(path)), path_(lines_.path()) {
    std::string_view header;
    if (!lines_.next(header)) throw Error(fmt::format("{}:1:1: empty file; expected the header {}", path_, expected_header()));
    check_header(header);
  }

  bool next(Bar& out) override {
    std::string_view line;
    while (true) {
      if (!next_line(line)) return false;
      if (!line.empty()) break;
      blank_after_ = line_;  // blank lines are allowed only at the end
    }
    if (blank_after_ != 0)
      fail(blank_after_, 1, "", "empty line in the middle of the data; expected a row");
    parse_row(line, out);
    return true;
  }
  std::string name() const override { return path_; }

 private:
  static std::string expected_header() { return "timestamp,open,high,low,close,volume"; }

  [[noreturn]] void fail(std::int64_t line, std::size_t col, std::string_view column, const std::string& msg) const {
    if (column.empty()) throw Error(fmt::format("{}:{}:{}: {}", path_, line, col, msg));
    throw Error(fmt::format("{}:{}:{}: {}: {}", path_, line, col, column, msg));
  }

  bool next_line(std::string_view& line) {
    const bool got = lines_.next(line);
    line_ = lines_.line();
    return got;
  }

  void check_header(std::string_view header) {
    std::size_t start = 0, i = 0, col = 1;
    for (; i < 6; ++i) {
      const std::size_t comma = header.find(',', start);
      const std::string_view name =
          header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      const std::string n = lower_ascii(name);
      const bool ok = n == kColumns[i] || (i == 0 && (n == "time" || n == "date" || n == "datetime"));
      if (!ok)
        fail(1, col, "", fmt::format("header column {} is {}, expected \"{}\" (header: {})", i + 1, shown(name),
                                     kColumns[i], expected_header()));
      if (comma == std::string_view::npos) {
        ++i;
        break;
      }
      start = comma + 1;
      col = start + 1;
    }
    if (i < 6) fail(1, header.size() + 1, "", fmt::format("header has {} columns, expected 6: {}", i, expected_header()));
    if (start <= header.size() && header.find(',', start) != std::string_view::npos)
      fail(1, start + 1, "", fmt::format("header has more than 6 columns, expected: {}", expected_header()));
  }

  double number(std::string_view field, std::size_t col, int index) const {
    const char* column = kColumns[index];
    if (field.empty()) fail(line_, col, column, "empty field; expected a number");
    double v = 0;
    const char* begin = field.data();
    if (*begin == '+') ++begin;
    auto [p, ec] = std::from_chars(begin, field.data() + field.size(), v);
    if (ec == std::errc::result_out_of_range) fail(line_, col, column, fmt::format("number out of range, found {}", shown(field)));
    if (ec != std::errc() || p != field.data() + field.size())
      fail(line_, col, column, fmt::format("expected a number, found {}", shown(field)));
    if (!std::isfinite(v)) fail(line_, col, column, fmt::format("expected a finite number, found {}", shown(field)));
    if (v < 0) fail(line_, col, column, fmt::format("expected a value >= 0, found {}", shown(field)));
    return v;
  }

  void parse_row(std::string_view line, Bar& out) {
    std::string_view fields[6];
    std::size_t cols[6];
    std::size_t start = 0;
    for (int i = 0; i < 6; ++i) {
      const std::size_t comma = line.find(',', start);
      cols[i] = start + 1;
      if (comma == std::string_view::npos) {
        if (i < 5)
          fail(line_, line.size() + 1, "", fmt::format("{} field{}, expected 6 ({})", i + 1, i == 0 ? "" : "s",
                                                       expected_header()));
        fields[i] = line.substr(start);
        start = line.size() + 1;
      } else {
        if (i == 5) fail(line_, comma + 1, "", fmt::format("more than 6 fields, expected 6 ({})", expected_header()));
        fields[i] = line.substr(start, comma - start);
        start = comma + 1;
      }
    }
    auto t = parse_iso(fields[0]);
    if (!t) {
      // A bare date (daily data) is midnight UTC.
      if (fields[0].size() == 10) t = parse_iso(std::string(fields[0]) + "T00:00:00Z");
      if (!t) fail(line_, cols[0], "timestamp", fmt::format("expected an ISO-8601 UTC time like 2024-01-01T00:00:00Z, found {}", shown(fields[0])));
    }
    out.time = *t;
    out.open = number(fields[1], cols[1], 1);
    out.high = number(fields[2], cols[2], 2);
    out.low = number(fields[3], cols[3], 3);
    out.close = number(fields[4], cols[4], 4);
    out.volume = number(fields[5], cols[5], 5);
    if (out.open <= 0 || out.high <= 0 || out.low <= 0 || out.close <= 0) {
      const int i = out.open <= 0 ? 1 : out.high <= 0 ? 2 : out.low <= 0 ? 3 : 4;
      fail(line_, cols[i], kColumns[i], fmt::format("expected a price > 0, found {}", shown(fields[i])));
    }
    if (out.high < out.low)
      fail(line_, cols[2], "high", fmt::format("high {} is below low {}", fields[2], fields[3]));
    if (out.high < std::max(out.open, out.close))
      fail(line_, cols[2], "high", fmt::format("high {} is below max(open, close) {}", fields[2], std::max(out.open, out.close)));
    if (out.low > std::min(out.open, out.close))
      fail(line_, cols[3], "low", fmt::format("low {} is above min(open, close) {}", fields[3], std::min(out.open, out.close)));
    if (have_previous_ && out.time <= previous_)
      fail(line_, cols[0], "timestamp",
           fmt::format("{} {} the previous row's {} (line {}); rows must be strictly increasing in time",
                       format_iso(out.time), out.time == previous_ ? "duplicates" : "is before", format_iso(previous_),
                       previous_line_));
    previous_ = out.time;
    previous_line_ = line_;
    have_previous_ = true;
  }

  LineReader lines_;
  const std::string& path_;
  std::int64_t line_ = 0;
  std::int64_t blank_after_ = 0;
  Timestamp previous_;
  std::int64_t previous_line_ = 0;
  bool have_previous_ = false;
};

void append_number(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

std::unique_ptr<BarSource> open_csv(const std::string& path) { return std::make_unique<CsvBarSource>(path); }

std::vector<Bar> read_csv_all(const std::string& path) {
  auto source = open_csv(path);
  std::vector<Bar> bars;
  Bar b;
  while (source->next(b)) bars.push_back(b);
  return bars;
}

void write_csv(const std::string& path, BarSource& source) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw Error(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  std::string out = "timestamp,open,high,low,close,volume\n";
  Bar b;
  char tbuf[40];
  bool ok = true;
  while (source.next(b)) {
    out.append(tbuf, format_iso(b.time, tbuf));
    for (double v : {b.open, b.high, b.low, b.close, b.volume}) {
      out.push_back(',');
      append_number(out, v);
    }
    out.push_back('\n');
    if (out.size() > kChunk) {
      ok = ok && std::fwrite(out.data(), 1, out.size(), f) == out.size();
      out.clear();
    }
  }
  ok = ok && std::fwrite(out.data(), 1, out.size(), f) == out.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) throw Error(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
}

}  // namespace st
