#include "backend/core/time.h"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace st {

std::int64_t Timestamp::seconds() const {
  std::int64_t s = ns / kNsPerSecond;
  if (ns % kNsPerSecond < 0) --s;
  return s;
}

// Howard Hinnant's civil-date algorithms.
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::size_t format_iso(Timestamp t, char* out) {
  std::int64_t secs = t.seconds();
  std::int64_t frac = t.ns - secs * kNsPerSecond;
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) rem += 86400, --days;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const int hh = static_cast<int>(rem / 3600), mm = static_cast<int>(rem % 3600 / 60),
            ss = static_cast<int>(rem % 60);
  int n = 0;
  if (y < 0 || y > 9999) {
    n = std::snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, hh, mm, ss);
  } else {
    // By hand: snprintf was the largest cost of a journal entry.
    auto two = [&](unsigned v) {
      out[n++] = static_cast<char>('0' + v / 10);
      out[n++] = static_cast<char>('0' + v % 10);
    };
    two(static_cast<unsigned>(y) / 100);
    two(static_cast<unsigned>(y) % 100);
    out[n++] = '-';
    two(m);
    out[n++] = '-';
    two(d);
    out[n++] = 'T';
    two(static_cast<unsigned>(hh));
    out[n++] = ':';
    two(static_cast<unsigned>(mm));
    out[n++] = ':';
    two(static_cast<unsigned>(ss));
  }
  if (frac != 0) {
    char digits[9];
    std::int64_t f = frac;
    for (int i = 8; i >= 0; --i, f /= 10) digits[i] = static_cast<char>('0' + f % 10);
    int len = 9;
    while (len > 0 && digits[len - 1] == '0') --len;
    out[n++] = '.';
    for (int i = 0; i < len; ++i) out[n++] = digits[i];
  }
  out[n++] = 'Z';
  out[n] = '\0';
  return static_cast<std::size_t>(n);
}

std::size_t IsoTimeWriter::write(Timestamp t, char* out) {
  if (t.ns < 0 || t.ns % kNsPerSecond != 0) return format_iso(t, out);  // (years end in 2262: 4 digits)
  const std::int64_t secs = t.ns / kNsPerSecond, day = secs / 86400;
  if (day != day_) {
    char text[32];
    format_iso(Timestamp{day * kNsPerDay}, text);
    std::memcpy(date_, text, sizeof date_);
    day_ = day;
  }
  const auto rem = static_cast<unsigned>(secs - day * 86400);
  std::memcpy(out, date_, sizeof date_);
  const auto two = [&](std::size_t at, unsigned v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(11, rem / 3600);
  out[13] = ':';
  two(14, rem / 60 % 60);
  out[16] = ':';
  two(17, rem % 60);
  out[19] = 'Z';
  out[20] = '\0';
  return 20;
}

std::string format_iso(Timestamp t) {
  char buf[48];
  const std::size_t n = format_iso(t, buf);
  return std::string(buf, n);
}

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<Timestamp> parse_iso(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  std::size_t pos = 10;
  std::int64_t frac_ns = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, se)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (n < 9) frac_ns = frac_ns * 10 + (s[pos] - '0');
          ++n, ++pos;
        }
        if (n == 0) return std::nullopt;
        for (int i = n; i < 9; ++i) frac_ns *= 10;
      }
    }
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
      int oh, om;
      if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om)) return std::nullopt;
      offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos = s.size();
    } else {
      return std::nullopt;
    }
  }
  const std::int64_t secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                            h * 3600 + mi * 60 + se - offset_s;
  return Timestamp{secs * kNsPerSecond + frac_ns};
}

std::optional<std::int64_t> parse_utc_offset(std::string_view text) {
  if (text.empty() || text == "0" || text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  int h = 0, m = 0;
  if (!digits(text, 1, 2, h) || !digits(text, 4, 2, m) || h > 14 || m > 59) return std::nullopt;
  return (h * 3600 + m * 60) * (text[0] == '-' ? -1 : 1);
}

std::optional<std::int64_t> parse_timeframe(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || p != text.data() + text.size() - 1 || n <= 0 || n > 100000) return std::nullopt;
  switch (text.back()) {
    case 's': return n * kNsPerSecond;
    case 'm': return n * kNsPerMinute;
    case 'h': return n * kNsPerHour;
    case 'd': return n * kNsPerDay;
    case 'w': return n * 7 * kNsPerDay;
    default: return std::nullopt;
  }
}

}  // namespace st
