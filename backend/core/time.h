// Event time. Timestamps are UTC nanoseconds since the Unix epoch; read "now" only through a
// Clock so that backtest and live share code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace st {

struct Timestamp {
  std::int64_t ns = 0;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
  static constexpr Timestamp from_seconds(std::int64_t s) { return {s * 1'000'000'000LL}; }
  std::int64_t seconds() const;  // floor
};

constexpr std::int64_t kNsPerSecond = 1'000'000'000LL;
constexpr std::int64_t kNsPerMinute = 60 * kNsPerSecond;
constexpr std::int64_t kNsPerHour = 60 * kNsPerMinute;
constexpr std::int64_t kNsPerDay = 24 * kNsPerHour;

// "2024-01-01T00:00:00Z" (fractional seconds printed only when non-zero, up to 9 digits).
std::string format_iso(Timestamp t);
// Writes the same text into `out` (at least 32 bytes); returns the length.
std::size_t format_iso(Timestamp t, char* out);
// format_iso for a stream of times close together (a journal's): the date of the last day written
// is kept, so a whole second on that day costs its time of day only. Same text as format_iso.
class IsoTimeWriter {
 public:
  std::size_t write(Timestamp t, char* out);

 private:
  std::int64_t day_ = -1;  // days since 1970-01-01 of date_; -1: none
  char date_[11] = {};     // "YYYY-MM-DDT"
};
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff…]]" with 'T' or ' ', optional 'Z' or ±HH:MM.
std::optional<Timestamp> parse_iso(std::string_view text);
// A UTC offset "+01:00" / "-05:30" in seconds east of UTC; "", "0" and "Z" are 0. nullopt when
// malformed or beyond +-14:59.
std::optional<std::int64_t> parse_utc_offset(std::string_view text);

// Civil-date helpers (proleptic Gregorian, UTC).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d);

// Timeframe strings: "1m", "5m", "1h", "1d", "1w" -> nanoseconds; nullopt when malformed.
std::optional<std::int64_t> parse_timeframe(std::string_view text);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

}  // namespace st
