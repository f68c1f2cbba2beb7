// Exact fixed-point decimals for money, prices and quantities (never binary floating point in
// the ledger or in orders). A Decimal is {raw int64, scale}: value = raw / 10^scale.
//
// Arithmetic is exact where the result fits (add/sub align scales; mul widens to 128 bits and
// rounds half-to-even only when asked to a coarser scale). Overflow throws st::Error: a silent
// wrap in a ledger is worse than a stopped run.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace st {

class Decimal {
 public:
  static constexpr int kMaxScale = 18;
  // 10^0 .. 10^kMaxScale, the unit of each scale, as integers and as (exact) doubles.
  static constexpr std::int64_t kPow10[kMaxScale + 1] = {
      1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
      1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
      1000000000000000000};
  static constexpr double kPow10d[kMaxScale + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                                    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

  constexpr Decimal() = default;
  constexpr Decimal(std::int64_t raw, int scale) : raw_(raw), scale_(static_cast<std::int8_t>(scale)) {}

  static Decimal from_int(std::int64_t v, int scale = 0);
  // Rounds half-to-even to `scale` decimals. Throws st::Error when not finite or out of range.
  static Decimal from_double(double v, int scale);
  // The shortest decimal that round-trips to `v` (13.81 -> 13.81 at scale 2, 4.4201391 at scale
  // 7), rounded half-to-even only if it needs more than `max_scale` decimals. For prices read
  // from data files, which must not be moved to a tick grid they were never on.
  static Decimal from_double_exact(double v, int max_scale = 12);
  // Parses "123", "-1.25", "0.000001" exactly; throws st::Error when malformed, or when it has
  // more decimals than `scale` (scale < 0: keep the decimals as written).
  static Decimal parse(std::string_view text, int scale = -1);

  std::int64_t raw() const { return raw_; }
  int scale() const { return scale_; }
  bool is_zero() const { return raw_ == 0; }
  bool is_negative() const { return raw_ < 0; }
  // Exact for |raw| < 2^53 (one correctly rounded division, inline: stop managers and threats
  // read equity on every bar); otherwise correctly rounded through the text.
  double to_double() const {
    if (raw_ > -(1LL << 53) && raw_ < (1LL << 53)) return static_cast<double>(raw_) / kPow10d[scale_];
    return to_double_via_text();
  }
  // Shortest exact text, e.g. "12.5", "-0.001", "0" (trailing zeros dropped).
  std::string to_string() const;
  // Writes to_string()'s text to `out` (room for kMaxChars) without allocating; returns the end.
  static constexpr std::size_t kMaxChars = 48;
  char* write(char* out) const;
  // Fixed number of decimals, e.g. to_string_fixed() of 12.5 at scale 2 = "12.50".
  std::string to_string_fixed() const;

  // Same value at another scale; rounds half-to-even when the scale shrinks.
  Decimal rescale(int scale) const;
  // The same value at the smallest scale that holds it exactly (trailing zeros dropped).
  Decimal normalized() const;
  // floor / ceil to `scale` decimals (for sizing: never buy more than affordable).
  Decimal floor_to(int scale) const;

  Decimal operator-() const { return Decimal(-raw_, scale_); }
  // Sums and products are inline where the scales agree and 64 bits hold the result (the
  // ledger marks to market on every bar with a trade open); the rest, with their overflow
  // errors, out of line.
  friend Decimal operator+(Decimal a, Decimal b) {
    std::int64_t r;
    if (a.scale_ == b.scale_ && !__builtin_add_overflow(a.raw_, b.raw_, &r)) [[likely]]
      return Decimal(r, a.scale_);
    return add_scaled(a, b);
  }
  friend Decimal operator-(Decimal a, Decimal b) {
    std::int64_t r;
    if (a.scale_ == b.scale_ && !__builtin_sub_overflow(a.raw_, b.raw_, &r)) [[likely]]
      return Decimal(r, a.scale_);
    return add_scaled(a, -b);
  }
  // Exact product at scale a.scale + b.scale (throws if that exceeds kMaxScale or overflows).
  friend Decimal operator*(Decimal a, Decimal b);
  // Product rounded half-to-even to `scale`.
  static Decimal mul(Decimal a, Decimal b, int scale) {
    const int s = a.scale_ + b.scale_;
    std::int64_t p, r;
    if (scale >= s && scale <= kMaxScale && !__builtin_mul_overflow(a.raw_, b.raw_, &p) &&
        !__builtin_mul_overflow(p, kPow10[scale - s], &r)) [[likely]]
      return Decimal(r, scale);  // no rounding: the product gains decimals
    return mul_rounded(a, b, scale);
  }
  // Quotient rounded half-to-even to `scale`. Throws on division by zero.
  static Decimal div(Decimal a, Decimal b, int scale);
  Decimal& operator+=(Decimal b) { return *this = *this + b; }
  Decimal& operator-=(Decimal b) { return *this = *this - b; }

  friend bool operator==(Decimal a, Decimal b) { return compare(a, b) == 0; }
  friend std::strong_ordering operator<=>(Decimal a, Decimal b) { return compare(a, b) <=> 0; }
  Decimal abs() const { return raw_ < 0 ? -*this : *this; }

 private:
  static int compare(Decimal a, Decimal b) {
    if (a.scale_ == b.scale_) return (a.raw_ > b.raw_) - (a.raw_ < b.raw_);  // the common case
    return compare_scaled(a, b);
  }
  static int compare_scaled(Decimal a, Decimal b);
  double to_double_via_text() const;
  [[gnu::noinline]] static Decimal add_scaled(Decimal a, Decimal b);
  [[gnu::noinline]] static Decimal mul_rounded(Decimal a, Decimal b, int scale);
  // from_double beyond its fast path (near a rounding tie, large, tiny, not finite): through the
  // shortest round-trip text. Out of line, so that the fast path stays small.
  [[gnu::noinline]] static Decimal from_double_text(double v, int scale);
  char* write_fixed(char* out) const;  // to_string_fixed()'s text; returns the end
  std::int64_t raw_ = 0;
  std::int8_t scale_ = 0;
};

}  // namespace st
