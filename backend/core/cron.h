// Cron expressions (schedule.yaml): 5 fields, UTC, minute resolution.
//
//   minute hour day-of-month month day-of-week
//   *  5  1-5  */15  1-30/2  MON,WED  JAN-MAR  @daily  @weekly ...
//
// Day-of-week 0 and 7 are Sunday. When both day fields are restricted, a day matches if either
// does (the classic Vixie cron rule).
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "backend/core/time.h"

namespace st {

class CronExpr {
 public:
  // nullopt and a message naming the field on error, e.g.
  // `field 2 (hour): "25" is out of range 0-23`.
  static std::optional<CronExpr> parse(std::string_view text, std::string* error = nullptr);

  // The first matching minute strictly after `after`; nullopt if none within 5 years
  // (e.g. "0 0 30 2 *").
  std::optional<Timestamp> next_after(Timestamp after) const;
  bool matches(Timestamp t) const;
  const std::string& text() const { return text_; }

 private:
  bool day_matches(int year, unsigned month, unsigned day, int weekday) const;
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_; // 0..6, Sunday = 0
  bool days_any_ = true, weekdays_any_ = true;
};

}  // namespace st
