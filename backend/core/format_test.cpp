#include "backend/core/format.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "backend/core/random.h"

namespace st {
namespace {

// Reason strings are journaled, and journals are compared byte for byte across versions: the
// writer must give fmt's text for every value, at every precision the plugins use and around
// each rounding and notation boundary.
TEST(WriteGeneral, IsFmtsGeneralFormat) {
  const auto check = [](double v, int precision) {
    char got[kGeneralRoom + 8];
    std::memset(got, '#', sizeof got);
    const std::string actual(got, write_general(got, v, precision));
    ASSERT_EQ(actual, fmt::format("{:.{}g}", v, precision))
        << "bits " << std::bit_cast<std::uint64_t>(v) << " precision " << precision;
    // Fixed-size copies stay within the room the header promises.
    ASSERT_EQ(std::string_view(got + kGeneralRoom, 8), "########") << "bits " << std::bit_cast<std::uint64_t>(v);
  };
  for (int precision : {1, 2, 3, 6, 10, 15, 17}) {
    for (double v : {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 9.5, 99.5, 999999.5, 9999995.0, 0.00001, 0.0001, 0.00012345675,
                     123456.5, 1234567.0, 999999.0, 9999999.0, 1e15, 1e16, 1e-300, 5e-324, 1.7976931348623157e308,
                     std::nan(""), HUGE_VAL, -HUGE_VAL})
      check(v, precision);
    for (int e = -30; e <= 30; ++e)
      for (double m : {1.0, 1.25, 2.5, 4.999995, 5.0, 9.9999995, 9.999995, 9.99999949999}) {
        check(m * std::pow(10.0, e), precision);
        check(-m * std::pow(10.0, e), precision);
      }
  }
  Xoshiro256 rng(5);
  for (int i = 0; i < 600000; ++i) {
    const int precision = 1 + static_cast<int>(rng.next() % 15);
    const double v = std::bit_cast<double>(rng.next());
    if (std::isfinite(v)) check(v, precision);
    check(std::round(rng.uniform() * 1e9) / 1e4, 6);                 // prices
    check(rng.uniform() * std::pow(10.0, static_cast<double>(rng.next() % 12) - 6), 6);  // ranges, ratios
    // Values whose 7th significant digit is 5 and then zeros in the shortest digits (halfway cases).
    check((static_cast<double>(rng.next() % 9000000 + 1000000) * 10 + 5) * std::pow(10.0, static_cast<double>(rng.next() % 20) - 14), 6);
    // A few ulps either side of a halfway point and of a power of ten, at every precision: where
    // rounding in double arithmetic can land on the wrong side.
    if (i % 4 != 0) continue;
    const int p = 1 + static_cast<int>(rng.next() % 15);
    const double scale = std::pow(10.0, static_cast<double>(rng.next() % 30) - 15);
    const double digits = std::pow(10.0, p - 1) + static_cast<double>(rng.next() % static_cast<std::uint64_t>(9 * std::pow(10.0, p - 1)));
    for (const double base : {(digits + 0.5) * scale, std::pow(10.0, p) * scale, (std::pow(10.0, p) - 0.5) * scale}) {
      double v = base;
      for (int k = 0; k < 4; ++k) v = std::nextafter(v, 0.0);
      for (int k = 0; k < 8; ++k, v = std::nextafter(v, HUGE_VAL)) check(v, p);
    }
  }
}

// The k lowest digits of v, leading zeros included, for every k up to 20 and values of every size
// (also larger than k digits), against printf.
TEST(WriteDigitsBackwards, IsTheLowKDigitsOfV) {
  Xoshiro256 rng(8);
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t v = rng.next() >> (rng.next() % 64);
    const int k = 1 + static_cast<int>(rng.next() % 20);
    char got[24];
    write_digits_backwards(got + k, v, k);
    const std::string all = fmt::format("{:020}", v);
    ASSERT_EQ(std::string(got, static_cast<std::size_t>(k)), all.substr(20 - static_cast<std::size_t>(k))) << v << " " << k;
  }
}

// The equity curve's drawdown column is written with six decimals on every bar, the same way.
TEST(WriteFixed, IsFmtsFixedFormat) {
  std::string buffer(max_fixed_chars(15), '\0');
  const auto check = [&](double v, int decimals) {
    const std::string actual(buffer.data(), write_fixed(buffer.data(), v, decimals));
    ASSERT_EQ(actual, fmt::format("{:.{}f}", v, decimals))
        << "bits " << std::bit_cast<std::uint64_t>(v) << " decimals " << decimals;
  };
  for (int decimals = 0; decimals <= 15; ++decimals) {
    for (double v : {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -0.5, 0.125, 0.1, 1e-7, -1e-7, 4.9999995, 99.9999995, 0x1p52,
                     0x1p52 - 1, 0x1p53 + 2, 1e20, 1.7976931348623157e308, 5e-324, std::nan(""), HUGE_VAL, -HUGE_VAL})
      check(v, decimals);
  }
  Xoshiro256 rng(11);
  for (int i = 0; i < 150000; ++i) {
    const int decimals = static_cast<int>(rng.next() % 16);
    const double v = std::bit_cast<double>(rng.next());
    if (std::fabs(v) < 1e30) check(v, decimals);  // larger ones take fmt's path, hundreds of digits
    check(rng.uniform() * 100, 6);  // drawdown percentages
    check((rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(rng.next() % 24) - 8), decimals);
    // A few ulps either side of a halfway point k + 1/2 at `decimals`.
    const double halfway = (static_cast<double>(rng.next() % 100000000) + 0.5) / std::pow(10.0, decimals);
    double v2 = halfway;
    for (int k = 0; k < 4; ++k) v2 = std::nextafter(v2, 0.0);
    for (int k = 0; k < 8; ++k, v2 = std::nextafter(v2, HUGE_VAL)) check(rng.next() % 2 ? v2 : -v2, decimals);
  }
}

// The planners' rationales pass Fixed, General and Decimal to compiled and runtime formats: the
// text is fmt's own "{:.Nf}", "{:.Ng}" and the decimal's to_string(); specs are refused.
TEST(FormatArguments, FixedGeneralAndDecimalReadAsFmtAndToString) {
  Xoshiro256 rng(5);
  for (int i = 0; i < 20000; ++i) {
    const double v = (rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(rng.next() % 20) - 6);
    const int decimals = static_cast<int>(rng.next() % 9), precision = 1 + static_cast<int>(rng.next() % 17);
    const Decimal d(static_cast<std::int64_t>(rng.next() >> 1) * (i % 2 ? 1 : -1), static_cast<int>(rng.next() % 13));
    ASSERT_EQ(format_compiled(FMT_COMPILE("a {} b {} c {}"), Fixed{v, decimals}, General{v, precision}, d),
              fmt::format("a {:.{}f} b {:.{}g} c {}", v, decimals, v, precision, d.to_string()));
    ASSERT_EQ(fmt::format("{}|{}", Fixed{v, 2}, General{v, 6}), fmt::format("{:.2f}|{:.6g}", v, v));
  }
  EXPECT_THROW((void)fmt::format(fmt::runtime("{:>8}"), Fixed{1.0, 2}), fmt::format_error);
  EXPECT_THROW((void)fmt::format("{}", General{1.0, 18}), fmt::format_error);
  EXPECT_THROW((void)fmt::format("{}", Fixed{1.0, 25}), fmt::format_error);
}

// TextBuilder gives the planners' rationales without the format machinery: the same text as
// format_compiled with "{}" for each piece, including the long fixed texts of huge values (more
// than the builder reserves) and texts longer than its reserve; the bounds are refused alike.
TEST(TextBuilder, IsFormatCompiledPieceByPiece) {
  Xoshiro256 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const double v = (rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(rng.next() % 40) - 10);
    const int decimals = static_cast<int>(rng.next() % 25), precision = 1 + static_cast<int>(rng.next() % 17);
    const Decimal d(static_cast<std::int64_t>(rng.next() >> 1) * (i % 2 ? 1 : -1), static_cast<int>(rng.next() % 13));
    const auto n = static_cast<std::int64_t>(rng.next());
    const int small = static_cast<int>(rng.next() % 2001) - 1000;
    const std::string word(rng.next() % 40, 'w');
    ASSERT_EQ((TextBuilder(8) << "a " << Fixed{v, decimals} << " b " << General{v, precision} << " c " << d << ' '
                              << word << " n " << n << '/' << small)
                  .take(),
              format_compiled(FMT_COMPILE("a {} b {} c {} {} n {}/{}"), Fixed{v, decimals}, General{v, precision}, d,
                              word, n, small));
  }
  EXPECT_EQ((TextBuilder() << Fixed{1e300, 2}).take(), fmt::format("{:.2f}", 1e300));
  EXPECT_EQ(TextBuilder().take(), "");
  EXPECT_THROW(TextBuilder() << General({1.0, 18}), fmt::format_error);
  EXPECT_THROW(TextBuilder() << General({1.0, 0}), fmt::format_error);
  EXPECT_THROW(TextBuilder() << Fixed({1.0, 25}), fmt::format_error);
  EXPECT_THROW(TextBuilder() << Fixed({1.0, -1}), fmt::format_error);
}

}  // namespace
}  // namespace st
