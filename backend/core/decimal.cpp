#include "backend/core/decimal.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "backend/core/diagnostics.h"
#include "backend/core/format.h"

namespace st {
namespace {

using i128 = __int128;

constexpr const auto& kPow10 = Decimal::kPow10;

void check_scale(int scale) {
  if (scale < 0 || scale > Decimal::kMaxScale)
    throw Error(fmt::format("decimal scale must be in [0, {}], was {}", Decimal::kMaxScale, scale));
}

// v as a decimal's 64-bit raw value; an overflow says what was computed (`what()`, called only
// then): "decimal overflow: 5.2e+19 x 10000 does not fit 64 bits at scale 8".
template <class What>
std::int64_t narrow(i128 v, What&& what) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min()) [[unlikely]]
    throw Error(fmt::format("decimal overflow: {} does not fit 64 bits", what()));
  return static_cast<std::int64_t>(v);
}

i128 pow10_128(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

// value / 10^shift rounded half to even.
i128 shift_down_even(i128 value, int shift) {
  if (shift <= 0) return value;
  const i128 div = pow10_128(shift);
  i128 q = value / div;
  i128 r = value % div;
  if (r < 0) r = -r;
  const i128 twice = r * 2;
  if (twice > div || (twice == div && (q % 2 != 0))) q += value < 0 ? -1 : 1;
  return q;
}

i128 div_even(i128 num, i128 den) {
  if (den < 0) num = -num, den = -den;
  i128 q = num / den;
  i128 r = num % den;
  if (r < 0) r = -r;
  const i128 twice = r * 2;
  if (twice > den || (twice == den && (q % 2 != 0))) q += num < 0 ? -1 : 1;
  return q;
}

}  // namespace

Decimal Decimal::from_int(std::int64_t v, int scale) {
  check_scale(scale);
  return Decimal(narrow(static_cast<i128>(v) * kPow10[scale], [&] { return fmt::format("{} at scale {}", v, scale); }),
                 scale);
}

namespace {
[[noreturn]] void too_large(double v, int scale) {
  throw Error(fmt::format("{} is too large for a decimal with {} places (at most {:.4g})", v, scale,
                          0x1p63 / static_cast<double>(kPow10[scale])));
}
}  // namespace

Decimal Decimal::from_double(double v, int scale) {
  check_scale(scale);
  // Fast path, in binary, inline (stop managers convert a price on every bar): x = v * 10^scale
  // is within 1.5 ulp(x) of the shortest decimal's scaled value d * 10^scale (the product is
  // rounded once, |v - d| <= ulp(v) / 2 and ulp(v) * 10^scale <= 2 ulp(x)), which below 2^40 is
  // under 2e-4. Rounding x where its fraction is more than 1e-3 away from a half therefore gives the
  // integer the text path gives (decimal_test checks it on values around ties). NaN and
  // infinities fail the first test and are refused on the text path.
  const double x = v * kPow10d[scale];
  if (std::fabs(x) < 1e12) {
    const double truncated = static_cast<double>(static_cast<std::int64_t>(x));  // exact below 2^53
    const double floor = truncated > x ? truncated - 1 : truncated;
    const double frac = x - floor;  // exact
    if (std::fabs(frac - 0.5) > 1e-3)
      return Decimal(static_cast<std::int64_t>(frac < 0.5 ? floor : floor + 1), scale);
  }
  return from_double_text(v, scale);
}

Decimal Decimal::from_double_text(double v, int scale) {
  if (!std::isfinite(v)) throw Error(fmt::format("cannot convert {} to a decimal", v));
  // A value whose raw integer would not fit 64 bits is refused here, with the bound, rather than
  // as an overflow deep in the text path.
  if (!(std::fabs(v * static_cast<double>(kPow10[scale])) < 0x1p63)) too_large(v, scale);
  // Go through the shortest round-trip text so that 13.81 becomes exactly 13.81 (on the stack).
  // Fixed notation for decimal exponents in [-4, 16), as fmt's and Python's shortest repr.
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  const std::size_t e = sci.find('e');
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  // Numbers of more than 18 significant decimals (tiny ones) do not fit the exact path; they take
  // the scaled one below, like those in exponent notation.
  const std::size_t digits = e - (sci[0] == '-' ? 1 : 0) - (sci.find('.') < e ? 1 : 0);
  if (exponent >= -4 && exponent < 16 && static_cast<int>(digits) - exponent - 1 <= 18) {
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    Decimal exact = parse(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    return exact.rescale(scale);
  }
  const long double scaled = static_cast<long double>(v) * kPow10[scale];
  if (!(std::fabs(scaled) < 0x1p63L)) too_large(v, scale);
  return Decimal(static_cast<std::int64_t>(std::nearbyint(scaled)), scale);
}

Decimal Decimal::normalized() const {
  Decimal d = *this;
  while (d.scale_ > 0 && d.raw_ % 10 == 0) {
    d.raw_ /= 10;
    --d.scale_;
  }
  return d;
}

Decimal Decimal::from_double_exact(double v, int max_scale) {
  check_scale(max_scale);
  if (!std::isfinite(v)) throw Error(fmt::format("cannot convert {} to a decimal", v));
  if (v == 0) return Decimal(0, 0);
  // The digits of the shortest round-trip text (fmt's "{}", Python's repr) without the text: in
  // fixed notation (a leading digit at 10^-4 .. 10^15) they are the decimal itself. Tiny or huge
  // values, and those with more than kMaxScale decimals, are rounded to max_scale from the
  // double.
  const ShortestDecimal s = shortest_decimal(v);
  const int lead = decimal_digits(s.significand) - 1 + s.exponent;
  const auto sig = static_cast<std::int64_t>(s.significand);  // < 10^17
  if (lead < -4 || lead >= 16 || -s.exponent > kMaxScale) return from_double(v, max_scale).normalized();
  Decimal d = s.exponent >= 0 ? Decimal(sig * kPow10[s.exponent], 0) : Decimal(sig, -s.exponent);
  if (v < 0) d = -d;
  if (d.scale() > max_scale) d = d.rescale(max_scale).normalized();
  return d;
}

Decimal Decimal::parse(std::string_view text, int scale) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  i128 raw = 0;
  int decimals = 0;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') throw Error(fmt::format("\"{}\" is not a decimal number", text));
    digits = true;
    raw = raw * 10 + (c - '0');
    if (dot) ++decimals;
    if (raw > static_cast<i128>(std::numeric_limits<std::int64_t>::max()) || decimals > kMaxScale)
      throw Error(fmt::format("\"{}\" does not fit a decimal", text));
  }
  if (!digits || (dot && decimals == 0)) throw Error(fmt::format("\"{}\" is not a decimal number", text));
  if (negative) raw = -raw;
  if (scale < 0) return Decimal(narrow(raw, [&] { return fmt::format("\"{}\"", text); }), decimals);
  check_scale(scale);
  if (decimals > scale)
    throw Error(fmt::format("\"{}\" has more than {} decimals", text, scale));
  return Decimal(narrow(raw * pow10_128(scale - decimals), [&] { return fmt::format("\"{}\" at scale {}", text, scale); }),
                 scale);
}

double Decimal::to_double_via_text() const { return std::stod(to_string_fixed()); }

namespace {
// `mag` / 10^scale as fixed text with exactly `scale` decimals.
char* write_scaled(char* out, bool negative, std::uint64_t mag, int scale) {
  const std::uint64_t unit = static_cast<std::uint64_t>(kPow10[scale]);
  const std::uint64_t whole = mag / unit;
  const int n = decimal_digits(whole);
  if (negative) *out++ = '-';
  write_digits_backwards(out + n, whole, n);
  out += n;
  if (scale == 0) return out;
  *out = '.';
  write_digits_backwards(out + 1 + scale, mag - whole * unit, scale);
  return out + 1 + scale;
}

std::uint64_t magnitude(std::int64_t raw) {
  return raw < 0 ? 0ULL - static_cast<std::uint64_t>(raw) : static_cast<std::uint64_t>(raw);
}
}  // namespace

char* Decimal::write_fixed(char* out) const {
  return write_scaled(out, raw_ < 0, magnitude(raw_), scale_ > 0 ? scale_ : 0);
}

std::string Decimal::to_string_fixed() const {
  char buf[kMaxChars];
  return std::string(buf, write_fixed(buf));
}

// The fixed text without trailing fraction zeros and a bare point ("-0" cannot occur: a negative
// raw value has a non-zero digit).
char* Decimal::write(char* out) const {
  const std::uint64_t mag = magnitude(raw_);
  const int scale = scale_ > 0 && mag != 0 ? scale_ : 0;
  // Every fraction digit is written and the zeros at the end are then cut off the text: a byte
  // compare each, where taking them off the number cost a division each (fees carry 10 places).
  char* end = write_scaled(out, raw_ < 0, mag, scale);
  if (scale == 0) return end;
  while (end[-1] == '0') --end;  // stops at the point at the latest
  return end[-1] == '.' ? end - 1 : end;
}

std::string Decimal::to_string() const {
  char buf[kMaxChars];
  return std::string(buf, write(buf));
}

Decimal Decimal::rescale(int scale) const {
  check_scale(scale);
  const auto what = [&] { return fmt::format("{} at scale {}", to_string(), scale); };
  if (scale >= scale_) return Decimal(narrow(static_cast<i128>(raw_) * kPow10[scale - scale_], what), scale);
  return Decimal(narrow(shift_down_even(raw_, scale_ - scale), what), scale);
}

Decimal Decimal::floor_to(int scale) const {
  check_scale(scale);
  if (scale >= scale_) return rescale(scale);
  const std::int64_t div = kPow10[scale_ - scale];
  std::int64_t q = raw_ / div;
  if (raw_ % div != 0 && raw_ < 0) --q;
  return Decimal(q, scale);
}

Decimal Decimal::add_scaled(Decimal a, Decimal b) {
  const int s = std::max(a.scale_, b.scale_);
  const i128 ra = static_cast<i128>(a.raw_) * kPow10[s - a.scale_];
  const i128 rb = static_cast<i128>(b.raw_) * kPow10[s - b.scale_];
  return Decimal(narrow(ra + rb, [&] { return fmt::format("{} + {}", a.to_string(), b.to_string()); }), s);
}

Decimal operator*(Decimal a, Decimal b) {
  const int s = a.scale_ + b.scale_;
  check_scale(s);
  return Decimal(narrow(static_cast<i128>(a.raw_) * b.raw_,
                        [&] { return fmt::format("{} x {} at scale {}", a.to_string(), b.to_string(), s); }),
                 s);
}

Decimal Decimal::mul_rounded(Decimal a, Decimal b, int scale) {
  check_scale(scale);
  const i128 product = static_cast<i128>(a.raw_) * b.raw_;
  const int s = a.scale_ + b.scale_;
  const auto what = [&] { return fmt::format("{} x {} at scale {}", a.to_string(), b.to_string(), scale); };
  if (scale >= s) return Decimal(narrow(product * pow10_128(scale - s), what), scale);
  return Decimal(narrow(shift_down_even(product, s - scale), what), scale);
}

Decimal Decimal::div(Decimal a, Decimal b, int scale) {
  check_scale(scale);
  if (b.raw_ == 0) throw Error("decimal division by zero");
  // a/b = (a.raw / 10^as) / (b.raw / 10^bs); result raw = a.raw * 10^(scale + bs - as) / b.raw
  const int exp = scale + b.scale_ - a.scale_;
  i128 num = a.raw_;
  i128 den = b.raw_;
  if (exp >= 0) num *= pow10_128(exp);
  else den *= pow10_128(-exp);
  return Decimal(
      narrow(div_even(num, den), [&] { return fmt::format("{} / {} at scale {}", a.to_string(), b.to_string(), scale); }),
      scale);
}

int Decimal::compare_scaled(Decimal a, Decimal b) {
  const int s = std::max(a.scale_, b.scale_);
  const i128 ra = static_cast<i128>(a.raw_) * kPow10[s - a.scale_];
  const i128 rb = static_cast<i128>(b.raw_) * kPow10[s - b.scale_];
  return ra < rb ? -1 : (ra > rb ? 1 : 0);
}

}  // namespace st
