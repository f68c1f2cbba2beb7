#include "backend/core/format.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace st {
namespace {
// 10^0 .. 10^22: every power of ten a double holds exactly.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
}  // namespace

ShortestDecimal shortest_decimal(double value) {
  ShortestDecimal d;
  const double a = std::fabs(value);
  std::uint64_t sig;
  // Short decimals first (prices, sizes, round ratios): below 2^51 / 10^8, a value that some
  // integer / 10^8 gives back exactly has as shortest digits that integer's, without its
  // trailing zeros. Why: a * 10^8 < 2^51 makes 10^-8 more than twice the value's ulp, so at most
  // one multiple of 10^-8 rounds to the value, and every shorter decimal that does is that one
  // (with zeros appended); the product a * 10^8 is within 1/4 of that integer, so rounding it
  // finds it; and r / 10^8, both exact, rounds as reading the decimal back does. Anything else
  // (more digits, larger, tiny) goes to Dragonbox.
  constexpr double kScale = 1e8;
  const double r = a < 0x1p51 / kScale ? (a * kScale + 0x1p52) - 0x1p52 : 0;  // rounded to an integer
  if (r != 0 && r / kScale == a) {
    sig = static_cast<std::uint64_t>(r);
    d.exponent = -8;
  } else {
    const auto dec = fmt::detail::dragonbox::to_decimal(a);
    sig = dec.significand;
    d.exponent = dec.exponent;  // value = sig * 10^exponent, sig < 10^17
  }
  while (sig % 10000 == 0) sig /= 10000, d.exponent += 4;  // a price's 10^8 path leaves 4-7 zeros
  while (sig % 10 == 0) sig /= 10, ++d.exponent;
  d.significand = sig;
  return d;
}

ShortestDigits shortest_digits(double value) {
  const ShortestDecimal s = shortest_decimal(value);
  ShortestDigits d;
  d.exp = s.exponent;
  d.n = decimal_digits(s.significand);
  write_digits_backwards(d.digits + d.n, s.significand, d.n);
  return d;
}

namespace {
// x = a x 10^s (s >= 0) or a / 10^-s, correctly rounded, landed on whole + 1/2. The exact
// result lies above x when the operation's rounding error says so: for the product a x p - x, for
// the quotient a - x x p (both exactly representable, and exactly what fma computes). Sets q to
// the integer the exact result rounds to; false for an exact tie (not decided here).
bool tie_broken(double a, int s, double x, double whole, double& q) {
  const double err = s >= 0 ? std::fma(a, kPow10[s], -x) : std::fma(-x, kPow10[-s], a);
  if (err == 0) return false;
  q = err > 0 ? whole + 1 : whole;
  return true;
}

// |value| rounded to `precision` (1..15) significant digits in double arithmetic, where that is
// what exact rounding gives. x = |value| * 10^s with an exact power of ten (|s| <= 22) is one
// correctly rounded operation, and rounding is monotonic: against any number it can represent
// exactly (10^precision, a halfway point k + 1/2 below 2^52), x lies on the same side as the exact
// product, or on it. So comparing x decides, except when x lands on a halfway point: then the
// exact product may lie on either side, and the operation's rounding error (exact, by a fused
// multiply-add) says which; only an exact tie goes to the caller's exact path. Most reasons' values
// (ranges, ratios, prices with many digits — a price's 7th digit is a 5 one time in ten) are
// decided here without Dragonbox.
bool round_to_precision(double a, int precision, ShortestDigits& d) {
  const int e2 = static_cast<int>(std::bit_cast<std::uint64_t>(a) >> 52) - 1023;  // a in [2^e2, 2^(e2+1))
  int e10 = (e2 * 78913) >> 18;  // floor(e2 * log10(2)): floor(log10(a)) or one less
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int s = precision - 1 - e10;
    if (s > 22 || s < -22) return false;
    const double x = s >= 0 ? a * kPow10[s] : a / kPow10[-s];  // in [10^(precision-1), 10^(precision+1))
    if (x >= kPow10[precision]) {  // the estimate was one low
      ++e10;
      continue;
    }
    // x < 10^16: the cast truncates, which is the floor of a positive x, without floor()'s
    // library call (no SSE4.1 rounding instruction in the baseline x86-64).
    const double whole = static_cast<double>(static_cast<std::int64_t>(x)), frac = x - whole;  // exact
    double q = frac > 0.5 ? whole + 1 : whole;
    if (frac == 0.5 && !tie_broken(a, s, x, whole, q)) return false;
    if (q == kPow10[precision]) q = kPow10[precision - 1], ++e10;  // 99..9.7 -> 100..0
    d.n = precision;
    d.exp = e10 - (precision - 1);
    write_digits_backwards(d.digits + precision, static_cast<std::uint64_t>(q), precision);
    return true;
  }
  return false;
}
}  // namespace

char* write_general(char* out, double value, int precision) {
  const auto by_fmt = [&] { return fmt::format_to(out, "{:.{}g}", value, precision); };
  // Normal doubles only: a subnormal's few bits make its shortest digits coarser than %g's.
  if (!std::isnormal(value) || precision < 1 || precision > 15) return by_fmt();
  ShortestDigits d;
  if (!round_to_precision(std::fabs(value), precision, d)) {
    d = shortest_digits(value);
    // Rounding the shortest digits to `precision` is rounding the value itself, except when they
    // end exactly on the halfway digit (then the value may lie on either side).
    if (d.n == precision + 1 && d.digits[precision] == '5') return by_fmt();
    if (d.n > precision) {
      const bool up = d.digits[precision] >= '5';
      d.exp += d.n - precision;
      d.n = precision;
      if (up) {  // round up, carrying
        int k = d.n - 1;
        while (k >= 0 && d.digits[k] == '9') d.digits[k--] = '0';
        if (k >= 0) {
          ++d.digits[k];
        } else {  // 99..9 -> 100..0
          d.digits[0] = '1';
          ++d.exp;
        }
      }
    }
  }
  if (value < 0) *out++ = '-';
  const int x = d.n + d.exp - 1;  // decimal exponent of the first digit
  int n = d.n;
  while (n > 1 && d.digits[n - 1] == '0') --n;  // %g drops trailing zeros
  // Digits go out in fixed 16-byte copies (n <= 15 here: at most `precision` digits; the bytes
  // past the text are scratch the caller's kGeneralRoom allows for).
  if (x < -4 || x >= precision) {  // d.ddd e+XX
    out[0] = d.digits[0];
    out[1] = '.';
    std::memcpy(out + 2, d.digits + 1, 16);
    out += n > 1 ? n + 1 : 1;
    *out++ = 'e';
    *out++ = x < 0 ? '-' : '+';
    const int a = x < 0 ? -x : x;
    if (a >= 100) *out++ = static_cast<char>('0' + a / 100);
    *out++ = static_cast<char>('0' + a / 10 % 10);
    *out++ = static_cast<char>('0' + a % 10);
    return out;
  }
  if (x < 0) {  // 0.000ddd
    static constexpr char kZeros[8] = {'0', '.', '0', '0', '0', '0', '0', '0'};
    std::memcpy(out, kZeros, 8);
    out += 1 - x;
    std::memcpy(out, d.digits, 16);
    return out + n;
  }
  std::memcpy(out, d.digits, 16);
  if (n <= x + 1) {  // an integer: digits, then zeros
    for (int i = n; i <= x; ++i) out[i] = '0';
    return out + x + 1;
  }
  out += x + 1;
  *out = '.';
  std::memcpy(out + 1, d.digits + x + 1, 16);
  return out + (n - x);
}

char* write_fixed(char* out, double value, int decimals) {
  const double a = std::fabs(value);
  if (decimals < 0 || decimals > 15 || !(a < 0x1p52)) return fmt::format_to(out, "{:.{}f}", value, decimals);
  // x = a x 10^decimals is one correctly rounded product; below 2^52 the halfway points k + 1/2
  // are exact, and rounding is monotonic, so x falls on the exact product's side of each, or on
  // it: then the product's rounding error decides (tie_broken), and fmt only for an exact tie.
  const double x = a * kPow10[decimals];
  if (!(x < 0x1p52)) return fmt::format_to(out, "{:.{}f}", value, decimals);
  const double whole = std::floor(x), frac = x - whole;  // exact
  double rounded = frac > 0.5 ? whole + 1 : whole;
  if (frac == 0.5 && !tie_broken(a, decimals, x, whole, rounded)) return fmt::format_to(out, "{:.{}f}", value, decimals);
  const auto q = static_cast<std::uint64_t>(rounded);
  if (std::signbit(value)) *out++ = '-';
  const int n = std::max(decimal_digits(q), decimals + 1);  // at least "0." before the decimals
  char digits[24];
  write_digits_backwards(digits + n, q, n);  // zero-padded on the left
  std::memcpy(out, digits, static_cast<std::size_t>(n - decimals));
  out += n - decimals;
  if (decimals == 0) return out;
  *out++ = '.';
  std::memcpy(out, digits + n - decimals, static_cast<std::size_t>(decimals));
  return out + decimals;
}

char* write_checked(char* out, Fixed v) {
  if (v.decimals < 0 || v.decimals > 24) throw fmt::format_error("Fixed: decimals must be 0-24");
  return write_fixed(out, v.value, v.decimals);
}

char* write_checked(char* out, General v) {
  if (v.precision < 1 || v.precision > 17) throw fmt::format_error("General: precision must be 1-17");
  return write_general(out, v.value, v.precision);
}

}  // namespace st
