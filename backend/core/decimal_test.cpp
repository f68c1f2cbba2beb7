#include "backend/core/decimal.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "backend/core/diagnostics.h"
#include "backend/core/random.h"

namespace st {
namespace {

TEST(Decimal, ParsesAndPrintsExactly) {
  EXPECT_EQ(Decimal::parse("123").to_string(), "123");
  EXPECT_EQ(Decimal::parse("-1.25").to_string(), "-1.25");
  EXPECT_EQ(Decimal::parse("0.000001").to_string(), "0.000001");
  EXPECT_EQ(Decimal::parse("12.500").to_string(), "12.5");
  EXPECT_EQ(Decimal::parse("12.5", 2).to_string_fixed(), "12.50");
  EXPECT_EQ(Decimal::parse("0").to_string(), "0");
  for (const char* bad : {"", "1.2.3", "abc", "1e5", "--1", "1.", ".5x", "99999999999999999999"})
    EXPECT_THROW(Decimal::parse(bad), Error) << bad;
  EXPECT_THROW(Decimal::parse("1.234", 2), Error);  // more decimals than the scale allows
}

TEST(Decimal, SumsThatBinaryFloatingPointGetsWrongAreExact) {
  Decimal sum = Decimal::parse("0", 2);
  for (int i = 0; i < 10; ++i) sum += Decimal::parse("0.1");
  EXPECT_EQ(sum, Decimal::parse("1"));
  EXPECT_EQ((Decimal::parse("0.1") + Decimal::parse("0.2")).to_string(), "0.3");
}

TEST(Decimal, FromDoubleUsesTheShortestTextAndRoundsHalfToEven) {
  EXPECT_EQ(Decimal::from_double(13.81, 2).to_string(), "13.81");
  EXPECT_EQ(Decimal::from_double(2.675, 2).to_string(), "2.68");  // the text 2.675 ties to even: 2.68
  EXPECT_EQ(Decimal::from_double(0.125, 2).to_string(), "0.12");
  EXPECT_EQ(Decimal::from_double(0.135, 2).to_string(), "0.14");
  EXPECT_EQ(Decimal::from_double(-1.005, 2).to_string(), "-1");
  EXPECT_THROW(Decimal::from_double(std::nan(""), 2), Error);
  EXPECT_THROW(Decimal::from_double(1e300, 2), Error);
}

TEST(Decimal, MultiplyDivideAndRescale) {
  const Decimal price = Decimal::parse("101.25"), qty = Decimal::parse("3.5");
  EXPECT_EQ((price * qty).to_string(), "354.375");
  EXPECT_EQ(Decimal::mul(price, qty, 2).to_string(), "354.38");
  EXPECT_EQ(Decimal::div(Decimal::parse("10"), Decimal::parse("3"), 4).to_string(), "3.3333");
  EXPECT_EQ(Decimal::div(Decimal::parse("-10"), Decimal::parse("4"), 0).to_string(), "-2");  // -2.5 -> -2
  EXPECT_THROW(Decimal::div(price, Decimal(), 2), Error);
  EXPECT_EQ(Decimal::parse("1.239").floor_to(2).to_string(), "1.23");
  EXPECT_EQ(Decimal::parse("-1.231").floor_to(2).to_string(), "-1.24");
  EXPECT_EQ(Decimal::parse("1.5").rescale(4).raw(), 15000);
  EXPECT_LT(Decimal::parse("1.05"), Decimal::parse("1.1"));
  EXPECT_EQ(Decimal::parse("1.10"), Decimal::parse("1.1"));
}

TEST(Decimal, OverflowThrowsInsteadOfWrapping) {
  const Decimal big(INT64_MAX / 2 + 1, 0);
  EXPECT_THROW(big + big, Error);
  EXPECT_THROW(Decimal::mul(big, Decimal::parse("4"), 0), Error);
  // The message says what was computed.
  const auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { return big + big; }),
            "decimal overflow: 4611686018427387904 + 4611686018427387904 does not fit 64 bits");
  EXPECT_EQ(message([&] { return Decimal::parse("5000000000.5", 8) * Decimal::parse("2000000000", 0); }),
            "decimal overflow: 5000000000.5 x 2000000000 at scale 8 does not fit 64 bits");
  EXPECT_EQ(message([] { return Decimal::parse("123456789012", 8); }),
            "decimal overflow: \"123456789012\" at scale 8 does not fit 64 bits");
  EXPECT_EQ(message([] { return Decimal::from_double(5.25e19, 4); }),
            "5.25e+19 is too large for a decimal with 4 places (at most 9.223e+14)");
  EXPECT_EQ(message([] { return Decimal::from_double(-1e15, 4); }),
            "-1000000000000000 is too large for a decimal with 4 places (at most 9.223e+14)");
  EXPECT_EQ(Decimal::from_double(9.2e14, 4).to_string(), "920000000000000");  // below the bound: fine
}

}  // namespace
}  // namespace st

namespace st {
namespace {
TEST(Decimal, FromDoubleExactKeepsTheDataDecimals) {
  EXPECT_EQ(Decimal::from_double_exact(13.81).to_string(), "13.81");
  EXPECT_EQ(Decimal::from_double_exact(13.81).scale(), 2);
  EXPECT_EQ(Decimal::from_double_exact(0.00001234).to_string(), "0.00001234");  // exponent text path
  EXPECT_EQ(Decimal::from_double_exact(42000).scale(), 0);
  EXPECT_EQ(Decimal::from_double_exact(1.0 / 3.0, 6).to_string(), "0.333333");
  EXPECT_EQ(Decimal::from_double_exact(-0.0).to_string(), "0");
  EXPECT_EQ(Decimal::from_double_exact(-2.5e-3).to_string(), "-0.0025");
  EXPECT_EQ(Decimal::from_double_exact(1234567890123456.0).to_string(), "1234567890123456");  // fixed up to 10^16
  EXPECT_EQ(Decimal::from_double_exact(1e16, 2).to_string(), "10000000000000000");  // exponent text: 1e+16
  EXPECT_THROW((void)Decimal::from_double_exact(1e16), Error);  // 10^16 at 12 places does not fit 64 bits
  // More than 18 decimals in the shortest text (it used to be refused as not fitting): rounded.
  EXPECT_EQ(Decimal::from_double_exact(0.00012345678901234567).to_string(), "0.000123456789");
  EXPECT_EQ(Decimal::from_double_exact(0.00012345678901234567, 18).to_string(), "0.000123456789012346");
  EXPECT_THROW((void)Decimal::from_double_exact(std::nan("")), Error);
  EXPECT_THROW((void)Decimal::from_double_exact(1.5, 19), Error);
}

// from_double_exact reads the shortest digits without their text: on random prices, random
// doubles of every magnitude it takes in fixed notation and around, both signs, every max_scale,
// the result is the one of the shortest round-trip text (fmt's "{}") parsed, rounded to max_scale
// when longer; texts in exponent notation or with more than 18 decimals are rounded from the
// double.
TEST(Decimal, FromDoubleExactEqualsTheShortestTextParsed) {
  const auto by_text = [](double v, int max_scale) {
    const std::string text = fmt::format("{}", v);
    const auto dot = text.find('.');
    const bool exponent = text.find_first_of("eE") != std::string::npos;
    const bool too_long = dot != std::string::npos && text.size() - dot - 1 > Decimal::kMaxScale;
    Decimal d = exponent || too_long ? Decimal::from_double(v, max_scale) : Decimal::parse(text);
    if (d.scale() > max_scale) d = d.rescale(max_scale);
    return d.normalized();
  };
  Xoshiro256 rng(11);
  int fixed = 0;
  for (int i = 0; i < 300000; ++i) {
    double v;
    switch (i % 4) {
      case 0: v = static_cast<double>(rng.next() % 1000000000) / Decimal::kPow10d[rng.next() % 9]; break;  // prices
      case 1: v = rng.uniform() * std::pow(10.0, static_cast<double>(rng.next() % 26) - 8); break;  // 1e-8 .. 1e17
      case 2: v = static_cast<double>(rng.next() % 100000) * std::pow(10.0, static_cast<double>(rng.next() % 24) - 6);
        break;  // few digits, large exponents
      default: {  // a random double with an exponent around 10^-5 .. 10^17
        const std::uint64_t bits = (rng.next() & ((1ULL << 52) - 1)) | ((1006 + rng.next() % 53) << 52);
        v = std::bit_cast<double>(bits);
      }
    }
    if (rng.next() % 3 == 0) v = -v;
    const int max_scale = static_cast<int>(rng.next() % (Decimal::kMaxScale + 1));
    std::optional<Decimal> want;
    try {
      want = by_text(v, max_scale);
    } catch (const Error&) {  // too large for max_scale places
      ASSERT_THROW((void)Decimal::from_double_exact(v, max_scale), Error) << fmt::format("{} at {}", v, max_scale);
      continue;
    }
    const Decimal got = Decimal::from_double_exact(v, max_scale);
    ASSERT_EQ(got.raw(), want->raw()) << fmt::format("{} at max_scale {}", v, max_scale);
    ASSERT_EQ(got.scale(), want->scale()) << fmt::format("{} at max_scale {}", v, max_scale);
    fixed += fmt::format("{}", v).find('e') == std::string::npos;
  }
  EXPECT_GT(fixed, 200000);  // most values take the fixed-notation path
}
}  // namespace
}  // namespace st

namespace st {
namespace {
// from_double goes through text on the stack; it must give what the text of fmt's shortest
// representation gives (the definition it had), for every magnitude.
TEST(Decimal, FromDoubleEqualsParsingTheShortestText) {
  Xoshiro256 rng(42);
  for (int i = 0; i < 200000; ++i) {
    const double mantissa = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    const int exp10 = static_cast<int>(rng.next() % 24) - 8;
    double v = mantissa * std::pow(10.0, exp10);
    if (i % 3 == 0) v = std::round(v * 100) / 100;  // prices with few decimals
    if (i % 7 == 0) v = -v;
    const int scale = static_cast<int>(rng.next() % 9);
    const std::string text = fmt::format("{}", v);
    auto old_way = [&]() -> std::optional<Decimal> {
      try {
        const auto dot = text.find('.');
        const bool fits = dot == std::string::npos || text.size() - dot - 1 <= 18;
        if (text.find_first_of("eE") == std::string::npos && fits) return Decimal::parse(text).rescale(scale);
        const long double scaled = static_cast<long double>(v) * std::pow(10.0L, scale);
        if (std::fabs(scaled) > 9.2e18L) return std::nullopt;
        return Decimal(static_cast<std::int64_t>(std::nearbyint(scaled)), scale);
      } catch (const Error&) {
        return std::nullopt;
      }
    };
    std::optional<Decimal> got;
    try {
      got = Decimal::from_double(v, scale);
    } catch (const Error&) {
    }
    const auto want = old_way();
    ASSERT_EQ(got.has_value(), want.has_value()) << text << " at scale " << scale;
    if (!got) continue;
    ASSERT_EQ(got->raw(), want->raw()) << text << " at scale " << scale;
    ASSERT_EQ(got->scale(), want->scale()) << text;
  }
}

// Sums, differences and products take an inline path when the scales agree and 64 bits hold
// the result: on random values at random scales, near the int64 bounds too, every result (or its
// overflow) is the exact one computed in 128 bits, rounded half-to-even where the product loses
// decimals.
TEST(Decimal, ArithmeticEqualsExact128BitArithmetic) {
  using i128 = __int128;
  constexpr i128 kMax = INT64_MAX, kMin = INT64_MIN;
  const auto pow10 = [](int n) {
    i128 r = 1;
    for (int i = 0; i < n; ++i) r *= 10;
    return r;
  };
  const auto round_even = [](i128 v, i128 div) {  // v / div, half to even
    i128 q = v / div, r = v % div;
    if (r < 0) r = -r;
    if (2 * r > div || (2 * r == div && q % 2 != 0)) q += v < 0 ? -1 : 1;
    return q;
  };
  Xoshiro256 rng(3);
  const auto raw = [&] {
    switch (rng.next() % 4) {
      case 0: return static_cast<std::int64_t>(rng.next());                           // any
      case 1: return static_cast<std::int64_t>(rng.next() % 2000001) - 1000000;       // small
      case 2: return INT64_MAX - static_cast<std::int64_t>(rng.next() % 1000);         // near the top
      default: return static_cast<std::int64_t>(rng.next() >> (1 + rng.next() % 62)) * (rng.next() % 2 ? 1 : -1);
    }
  };
  int fits = 0;
  for (int i = 0; i < 400000; ++i) {
    const int sa = static_cast<int>(rng.next() % 9), sb = i % 3 == 0 ? sa : static_cast<int>(rng.next() % 9);
    const Decimal a(raw(), sa), b(raw(), sb);
    const int s = std::max(sa, sb);
    const i128 ea = static_cast<i128>(a.raw()) * pow10(s - sa), eb = static_cast<i128>(b.raw()) * pow10(s - sb);
    for (const bool minus : {false, true}) {
      const i128 want = minus ? ea - eb : ea + eb;
      if (want > kMax || want < kMin) {
        ASSERT_THROW((void)(minus ? a - b : a + b), Error) << a.raw() << " " << b.raw();
        continue;
      }
      if (minus && b.raw() == INT64_MIN) continue;  // -b itself does not exist (the slow path negates)
      const Decimal got = minus ? a - b : a + b;
      ASSERT_EQ(got.raw(), static_cast<std::int64_t>(want)) << a.raw() << (minus ? " - " : " + ") << b.raw();
      ASSERT_EQ(got.scale(), s);
      ++fits;
    }
    const int scale = static_cast<int>(rng.next() % 19);
    const i128 product = static_cast<i128>(a.raw()) * b.raw();
    const bool representable = product <= kMax * pow10(18) && product >= kMin * pow10(18);  // no i128 overflow below
    if (!representable) continue;
    const bool product_fits = product <= kMax && product >= kMin;
    const i128 want = scale >= sa + sb ? (product_fits ? product * pow10(scale - sa - sb) : kMax + 1)
                                       : round_even(product, pow10(sa + sb - scale));
    if (want > kMax || want < kMin) {
      ASSERT_THROW((void)Decimal::mul(a, b, scale), Error) << a.raw() << " x " << b.raw() << " at " << scale;
      continue;
    }
    const Decimal got = Decimal::mul(a, b, scale);
    ASSERT_EQ(got.raw(), static_cast<std::int64_t>(want)) << a.raw() << " x " << b.raw() << " at " << scale;
    ASSERT_EQ(got.scale(), scale);
  }
  EXPECT_GT(fits, 300000);
}

// The fast path rounds v * 10^scale in binary unless its fraction is within 1e-3 of a half: on
// values placed around ties — just off a half, by from 1e-9 to 3e-2 of a unit of the last place,
// on both sides, and exactly on it — it must agree with the text path (parse the shortest text,
// round half-to-even).
TEST(Decimal, FromDoubleNearTiesEqualsTheTextPath) {
  Xoshiro256 rng(7);
  int fast = 0;
  for (int i = 0; i < 300000; ++i) {
    const int scale = static_cast<int>(rng.next() % 9);
    const double unit = std::pow(10.0, -scale);
    const auto whole = static_cast<double>(rng.next() % 2000000) / (i % 2 == 0 ? 1.0 : 1000.0);
    const double offsets[] = {0.0, 1e-9, 1e-6, 1e-4, 2e-4, 5e-4, 9e-4, 1.1e-3, 2e-3, 5e-3, 1e-2, 3e-2};
    const double off = offsets[rng.next() % 12] * (rng.next() % 2 == 0 ? 1 : -1);
    double v = (std::floor(whole / unit) + 0.5 + off) * unit;
    if (i % 5 == 0) v = -v;
    const std::string text = fmt::format("{}", v);
    if (text.find_first_of("eE") != std::string::npos) continue;
    const Decimal want = Decimal::parse(text).rescale(scale);
    const Decimal got = Decimal::from_double(v, scale);
    ASSERT_EQ(got.raw(), want.raw()) << text << " at scale " << scale;
    const double x = v * std::pow(10.0, scale);
    fast += std::fabs(x - std::floor(x) - 0.5) > 1e-3;
  }
  EXPECT_GT(fast, 100000);  // most went the fast way, many of them close to the line
}

// to_string() writes without allocating (Decimal::write); it must equal the fixed text with the
// trailing fraction zeros dropped, for every scale, sign and size, including the int64 extremes.
TEST(Decimal, ShortestTextIsTheFixedTextWithoutTrailingZeros) {
  // The fixed text, written independently of Decimal's own digit writer.
  const auto reference_fixed = [](const Decimal& d) {
    const bool neg = d.raw() < 0;
    const unsigned long long mag =
        neg ? 0ULL - static_cast<unsigned long long>(d.raw()) : static_cast<unsigned long long>(d.raw());
    std::string digits = std::to_string(mag);
    if (d.scale() > 0) {
      const auto scale = static_cast<std::size_t>(d.scale());
      if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
      digits.insert(digits.size() - scale, 1, '.');
    }
    return neg ? "-" + digits : digits;
  };
  const auto reference = [&](const Decimal& d) {
    std::string s = reference_fixed(d);
    EXPECT_EQ(d.to_string_fixed(), s);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? std::string("0") : s;
  };
  Xoshiro256 rng(7);
  const std::int64_t edges[] = {0, 1, -1, 9, 10, -10, 100, 120, -1200, 1000000, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (int scale = 0; scale <= Decimal::kMaxScale; ++scale) {
    for (std::int64_t raw : edges) ASSERT_EQ(Decimal(raw, scale).to_string(), reference(Decimal(raw, scale)));
    for (int i = 0; i < 20000; ++i) {
      std::int64_t raw = static_cast<std::int64_t>(rng.next() >> (rng.next() % 64));
      if (i % 5 == 0) raw = (raw / 1000) * 1000;  // trailing zeros
      if (i % 2 == 0) raw = -raw;
      const Decimal d(raw, scale);
      ASSERT_EQ(d.to_string(), reference(d)) << raw << " at scale " << scale;
    }
  }
  EXPECT_EQ(Decimal(-1200, 2).to_string(), "-12");
  EXPECT_EQ(Decimal(5, 3).to_string(), "0.005");
  EXPECT_EQ(Decimal(-5, 3).to_string(), "-0.005");
}

}  // namespace
}  // namespace st
