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

}  // namespace st
