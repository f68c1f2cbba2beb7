#include "backend/core/cron.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <vector>

namespace st {

namespace {

struct Field {
  const char* name;
  int lo, hi;
  const char* const* names;  // names for lo.. (months, weekdays) or nullptr
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
constexpr Field kFields[] = {{"minute", 0, 59, nullptr},
                             {"hour", 0, 23, nullptr},
                             {"day-of-month", 1, 31, nullptr},
                             {"month", 1, 12, kMonthNames},
                             {"day-of-week", 0, 7, kDayNames}};

std::optional<int> value_of(std::string_view s, const Field& f) {
  if (s.empty()) return std::nullopt;
  if (std::isalpha(static_cast<unsigned char>(s[0]))) {
    if (f.names == nullptr || s.size() != 3) return std::nullopt;
    const int count = f.names == kMonthNames ? 12 : 7;
    for (int i = 0; i < count; ++i) {
      bool same = true;
      for (int k = 0; k < 3; ++k)
        same = same && std::toupper(static_cast<unsigned char>(s[k])) == f.names[i][k];
      if (same) return f.names == kMonthNames ? i + 1 : i;
    }
    return std::nullopt;
  }
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Parses one field into `bits` (indexed by value). Returns "" or the error.
template <std::size_t N>
std::string parse_field(std::string_view text, const Field& f, int index, std::bitset<N>& bits, bool& any) {
  const std::string where = fmt::format("field {} ({})", index + 1, f.name);
  any = text == "*" || text == "?";
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(start, comma - start);
    if (item.empty()) return fmt::format("{}: empty list element in \"{}\"", where, text);
    std::string_view range = item;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view s = item.substr(slash + 1);
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size())
        return fmt::format("{}: step \"{}\" is not a number", where, s);
      if (step <= 0) return fmt::format("{}: step must be at least 1, found {}", where, step);
    }
    int lo = f.lo, hi = f.hi;
    if (range == "*" || range == "?") {
      if (f.lo == 0 && f.hi == 7) hi = 6;
    } else {
      const std::size_t dash = range.find('-', 1);
      const std::string_view a = range.substr(0, dash);
      auto va = value_of(a, f);
      if (!va) return fmt::format("{}: \"{}\" is not a valid value (expected {}-{}{})", where, a, f.lo, f.hi,
                                  f.names ? f.names == kMonthNames ? " or JAN-DEC" : " or SUN-SAT" : "");
      lo = *va;
      if (dash != std::string_view::npos) {
        const std::string_view b = range.substr(dash + 1);
        auto vb = value_of(b, f);
        if (!vb) return fmt::format("{}: \"{}\" is not a valid value (expected {}-{})", where, b, f.lo, f.hi);
        hi = *vb;
      } else {
        hi = item.find('/') != std::string_view::npos ? f.hi : lo;  // "a/n" runs to the end of the range
      }
      if (lo < f.lo || lo > f.hi) return fmt::format("{}: \"{}\" is out of range {}-{}", where, lo, f.lo, f.hi);
      if (hi < f.lo || hi > f.hi) return fmt::format("{}: \"{}\" is out of range {}-{}", where, hi, f.lo, f.hi);
      if (lo > hi) return fmt::format("{}: range {}-{} runs backwards", where, lo, hi);
    }
    for (int v = lo; v <= hi; v += step) bits.set(static_cast<std::size_t>(f.lo == 0 && f.hi == 7 && v == 7 ? 0 : v));
    start = comma + 1;
    if (comma == text.size()) break;
  }
  return "";
}

}  // namespace

std::optional<CronExpr> CronExpr::parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<CronExpr> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  std::string expanded(text);
  while (!expanded.empty() && std::isspace(static_cast<unsigned char>(expanded.back()))) expanded.pop_back();
  while (!expanded.empty() && std::isspace(static_cast<unsigned char>(expanded.front()))) expanded.erase(0, 1);
  if (!expanded.empty() && expanded[0] == '@') {
    static const std::pair<const char*, const char*> kMacros[] = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
        {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"}};
    bool found = false;
    for (const auto& [name, value] : kMacros)
      if (expanded == name) {
        expanded = value;
        found = true;
        break;
      }
    if (!found)
      return fail(fmt::format("unknown macro \"{}\"; expected @yearly, @annually, @monthly, @weekly, @daily, "
                              "@midnight or @hourly",
                              expanded));
  }
  std::vector<std::string_view> fields;
  std::string_view rest(expanded);
  while (!rest.empty()) {
    const std::size_t b = rest.find_first_not_of(" \t");
    if (b == std::string_view::npos) break;
    rest.remove_prefix(b);
    const std::size_t e = rest.find_first_of(" \t");
    fields.push_back(rest.substr(0, e));
    rest.remove_prefix(e == std::string_view::npos ? rest.size() : e);
  }
  if (fields.size() == 6)
    return fail("found 6 fields; seconds are not supported: expected 5 fields (minute hour day-of-month month "
                "day-of-week)");
  if (fields.size() != 5)
    return fail(fmt::format("expected 5 fields (minute hour day-of-month month day-of-week), found {}", fields.size()));
  CronExpr c;
  c.text_ = std::string(text);
  bool any = false;
  std::string err;
  if (!(err = parse_field(fields[0], kFields[0], 0, c.minutes_, any)).empty()) return fail(err);
  if (!(err = parse_field(fields[1], kFields[1], 1, c.hours_, any)).empty()) return fail(err);
  if (!(err = parse_field(fields[2], kFields[2], 2, c.days_, c.days_any_)).empty()) return fail(err);
  if (!(err = parse_field(fields[3], kFields[3], 3, c.months_, any)).empty()) return fail(err);
  std::bitset<8> wd;
  if (!(err = parse_field(fields[4], kFields[4], 4, wd, c.weekdays_any_)).empty()) return fail(err);
  for (int i = 0; i < 7; ++i) c.weekdays_[static_cast<std::size_t>(i)] = wd[static_cast<std::size_t>(i)];
  return c;
}

bool CronExpr::day_matches(int year, unsigned month, unsigned day, int weekday) const {
  (void)year;
  if (!months_[month]) return false;
  const bool dom = days_[day], dow = weekdays_[static_cast<std::size_t>(weekday)];
  if (days_any_ && weekdays_any_) return true;
  if (days_any_) return dow;
  if (weekdays_any_) return dom;
  return dom || dow;  // both restricted: either
}

namespace {
int weekday_of(std::int64_t days) {  // 1970-01-01 was a Thursday (4)
  return static_cast<int>(((days % 7) + 7 + 4) % 7);
}
}  // namespace

bool CronExpr::matches(Timestamp t) const {
  const std::int64_t s = t.seconds();
  if (s % 60 != 0 || t.ns % kNsPerSecond != 0) return false;
  std::int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  const std::int64_t sec_of_day = s - days * 86400;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return day_matches(y, m, d, weekday_of(days)) && hours_[static_cast<std::size_t>(sec_of_day / 3600)] &&
         minutes_[static_cast<std::size_t>((sec_of_day / 60) % 60)];
}

std::optional<Timestamp> CronExpr::next_after(Timestamp after) const {
  // First whole minute strictly after `after`.
  std::int64_t minute = after.ns >= 0 ? after.ns / kNsPerMinute : (after.ns - kNsPerMinute + 1) / kNsPerMinute;
  ++minute;
  std::int64_t day = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440;
  int start_minute = static_cast<int>(minute - day * 1440);
  for (int i = 0; i < 366 * 5 + 2; ++i, ++day, start_minute = 0) {
    int y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    if (!day_matches(y, m, d, weekday_of(day))) continue;
    for (int mod = start_minute; mod < 1440; ++mod) {
      const int h = mod / 60;
      if (!hours_[static_cast<std::size_t>(h)]) {
        mod = h * 60 + 59;
        continue;
      }
      if (minutes_[static_cast<std::size_t>(mod % 60)]) return Timestamp{(day * 1440 + mod) * kNsPerMinute};
    }
  }
  return std::nullopt;
}

}  // namespace st
