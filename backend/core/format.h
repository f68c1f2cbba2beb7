// Formatting on hot paths: a compile-time checked and compiled format string, into one
// allocation. (fmt 9's own format(FMT_COMPILE(...)) appends to a std::string char by char and
// can reallocate several times; the runtime fmt::format parses the format string on every call.)
#pragma once

#include <fmt/compile.h>
#include <fmt/format.h>

#include <iterator>
#include <string>

namespace st {

template <class S, class... Args>
std::string format_compiled(const S& format, const Args&... args) {
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), format, args...);
  return std::string(buffer.data(), buffer.size());
}

// The shortest decimal digits that read back to |value| (finite, non-zero; Dragonbox, from fmt):
// |value| = digits[0..n) * 10^exp, no trailing zeros. digits has room past n (callers may copy
// fixed-size blocks); the bytes after n are zero.
struct ShortestDigits {
  char digits[40] = {};
  int n = 0;
  int exp = 0;
};
ShortestDigits shortest_digits(double value);

// Writes `value` as fmt::format("{:.<precision>g}", value) does (printf's %g: that many significant
// digits, correctly rounded, trailing zeros dropped, exponent form below 1e-4 or from
// 10^precision), without fmt's general float machinery on the common path. `out` has room for
// 32 bytes. format_test checks it against fmt on millions of values.
char* write_general(char* out, double value, int precision);

}  // namespace st
