// Formatting on hot paths: a compile-time checked and compiled format string, into one
// allocation. (fmt 9's own format(FMT_COMPILE(...)) appends to a std::string char by char and
// can reallocate several times; the runtime fmt::format parses the format string on every call.)
#pragma once

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>

#include "backend/core/decimal.h"

namespace st {

template <class S, class... Args>
std::string format_compiled(const S& format, const Args&... args) {
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), format, args...);
  return std::string(buffer.data(), buffer.size());
}

// Decimal digits of v (1 for 0). Inline, with the digit writer below: decimals, journal numbers
// and reasons are written on the per-bar path.
inline int decimal_digits(std::uint64_t v) {
  static constexpr std::uint64_t kPow10[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
      10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
      10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
      1000000000000000000ULL, 10000000000000000000ULL};
  const int t = static_cast<int>(std::bit_width(v)) * 1233 >> 12;  // floor(log10(v)) or one more
  return v == 0 ? 1 : t + (v >= kPow10[t] ? 1 : 0);
}

// Writes the `k` lowest decimal digits of v (leading zeros included) ending just before `end`, two
// at a time from a table.
// Past eight digits, each group of eight is split off in 64-bit arithmetic; within a group the
// pairs come from 32-bit divisions by 100 (a multiply and a shift each, against a 64x64->128-bit
// multiply and more shifts for a 64-bit value).
inline void write_digits_backwards(char* end, std::uint64_t v, int k) {
  static constexpr auto kPairs = [] {
    std::array<char, 200> t{};
    for (int i = 0; i < 100; ++i) t[2 * i] = static_cast<char>('0' + i / 10), t[2 * i + 1] = static_cast<char>('0' + i % 10);
    return t;
  }();
  for (; k > 8; k -= 8, v /= 100000000) {
    auto w = static_cast<std::uint32_t>(v % 100000000);
    for (int i = 0; i < 4; ++i, w /= 100) std::memcpy(end -= 2, &kPairs[2 * (w % 100)], 2);
  }
  auto w = static_cast<std::uint32_t>(v < 100000000 ? v : v % 100000000);  // the low k <= 8 digits
  for (; k >= 2; k -= 2, w /= 100) std::memcpy(end -= 2, &kPairs[2 * (w % 100)], 2);
  if (k == 1) end[-1] = static_cast<char>('0' + w % 10);
}

// The shortest decimal that reads back to |value| (finite, non-zero; Dragonbox, from fmt):
// |value| = significand * 10^exponent, significand < 10^17 without trailing zeros.
struct ShortestDecimal {
  std::uint64_t significand = 0;
  int exponent = 0;
};
ShortestDecimal shortest_decimal(double value);

// The same as digits: |value| = digits[0..n) * 10^exp, no trailing zeros. digits has room past n
// (callers may copy fixed-size blocks); the bytes after n are zero.
struct ShortestDigits {
  char digits[40] = {};
  int n = 0;
  int exp = 0;
};
ShortestDigits shortest_digits(double value);

// Writes `value` as fmt::format("{:.<precision>g}", value) does (printf's %g: that many significant
// digits, correctly rounded, trailing zeros dropped, exponent form below 1e-4 or from
// 10^precision), without fmt's general float machinery on the common path. The text is at most
// 24 bytes, but `out` must have room for kGeneralRoom: the digits are copied in fixed-size blocks.
// format_test checks it against fmt on millions of values.
inline constexpr std::size_t kGeneralRoom = 40;
char* write_general(char* out, double value, int precision);

// Writes `value` as fmt::format("{:.<decimals>f}", value) does (that many digits after the point,
// correctly rounded, the sign kept on a negative value that rounds to zero), without fmt's
// float machinery when |value| x 10^decimals is below 2^52. `out` has room for
// max_fixed_chars(decimals) bytes; format_test checks it against fmt on millions of values.
char* write_fixed(char* out, double value, int decimals);
constexpr std::size_t max_fixed_chars(int decimals) { return 320 + static_cast<std::size_t>(decimals); }

// Arguments for fmt written by the writers above: Fixed{v, 2} reads as "{:.2f}" of v and
// General{v, 6} as "{:.6g}" (the same text, see write_fixed and write_general), and a Decimal as
// its to_string() — without fmt's float machinery or a temporary string. For reasons made on
// every trade (the planners' rationales).
struct Fixed {
  double value;
  int decimals;
};
struct General {
  double value;
  int precision;
};
// Write a Fixed (decimals 0-24; room max_fixed_chars(24)) or a General (precision 1-17; room
// kGeneralRoom), or throw fmt::format_error for one out of those bounds: the one check the fmt
// formatter below and TextBuilder share.
char* write_checked(char* out, Fixed v);
char* write_checked(char* out, General v);

// A short text built from pieces, for the reasons and rationales written on every trade: views
// are appended, numbers written in place by the writers above, and the result is one std::string
// (one allocation). The same characters as format_compiled with "{}" for each piece (a Decimal,
// Fixed or General as above, an integer as fmt writes it), without the format machinery, which
// costs more than the writers themselves on these texts (format_test compares the two).
class TextBuilder {
 public:
  explicit TextBuilder(std::size_t expected = 96) { text_.reserve(expected); }
  TextBuilder& operator<<(std::string_view piece) {
    text_.append(piece);
    return *this;
  }
  TextBuilder& operator<<(const char* piece) { return *this << std::string_view(piece); }
  TextBuilder& operator<<(char c) {
    text_.push_back(c);
    return *this;
  }
  TextBuilder& operator<<(const Decimal& v) {
    char buf[Decimal::kMaxChars];
    return append(buf, v.write(buf));
  }
  TextBuilder& operator<<(Fixed v) {
    char buf[max_fixed_chars(24)];
    return append(buf, write_checked(buf, v));
  }
  TextBuilder& operator<<(General v) {
    char buf[kGeneralRoom];
    return append(buf, write_checked(buf, v));
  }
  template <std::integral I>
    requires(!std::same_as<I, char> && !std::same_as<I, bool>)
  TextBuilder& operator<<(I v) {
    char buf[24];
    return append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  }
  std::string take() { return std::move(text_); }  // the text, moved out

 private:
  // A number is written on the stack and appended: the writers want more room than they use
  // (write_fixed up to 344 bytes), which the text's reserve should not have to cover.
  TextBuilder& append(const char* begin, const char* end) {
    text_.append(begin, static_cast<std::size_t>(end - begin));
    return *this;
  }
  std::string text_;
};

}  // namespace st

// Only "{}" (no specs) is meant for these: compiled formats do not call parse(), and runtime ones
// get an error for anything else.
template <class T>
  requires std::same_as<T, st::Fixed> || std::same_as<T, st::General> || std::same_as<T, st::Decimal>
struct fmt::formatter<T> {
  constexpr auto parse(fmt::format_parse_context& ctx) {
    if (ctx.begin() != ctx.end() && *ctx.begin() != '}') throw fmt::format_error("no format specs for this type");
    return ctx.begin();
  }
  template <class Context>
  auto format(const T& v, Context& ctx) const {
    if constexpr (std::same_as<T, st::Decimal>) {
      char buf[st::Decimal::kMaxChars];
      return std::copy(buf, v.write(buf), ctx.out());
    } else if constexpr (std::same_as<T, st::Fixed>) {
      char buf[st::max_fixed_chars(24)];
      return std::copy(buf, st::write_checked(buf, v), ctx.out());
    } else {
      char buf[st::kGeneralRoom];
      return std::copy(buf, st::write_checked(buf, v), ctx.out());
    }
  }
};
