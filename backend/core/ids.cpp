#include "backend/core/ids.h"

#include <array>
#include <cstring>

namespace st {
namespace {
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

void Uuid::write(char out[36]) const {
  // Two hex digits per byte from a table (this runs for every causal id of every journal entry).
  static constexpr auto kPairs = [] {
    std::array<char, 512> t{};
    for (int i = 0; i < 256; ++i) {
      t[2 * i] = kHex[i >> 4];
      t[2 * i + 1] = kHex[i & 15];
    }
    return t;
  }();
  // Where each byte's two digits go in 8-4-4-4-12 (a fixed layout: the loops unroll).
  static constexpr int kAt[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (int byte = 0; byte < 8; ++byte) std::memcpy(out + kAt[byte], &kPairs[2 * ((hi >> (56 - 8 * byte)) & 0xFF)], 2);
  for (int byte = 0; byte < 8; ++byte)
    std::memcpy(out + kAt[8 + byte], &kPairs[2 * ((lo >> (56 - 8 * byte)) & 0xFF)], 2);
  out[8] = out[13] = out[18] = out[23] = '-';
}

std::string Uuid::to_string() const {
  std::string s(36, '0');
  write(s.data());
  return s;
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid u;
  int nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(text[i]);
    if (v < 0) return std::nullopt;
    std::uint64_t& word = nibble < 16 ? u.hi : u.lo;
    word = (word << 4) | static_cast<std::uint64_t>(v);
    ++nibble;
  }
  return u;
}

IdGenerator::IdGenerator(std::uint64_t seed) : rng_(seed) {}

Uuid IdGenerator::next() {
  const std::uint64_t hi = rng_.next();
  Uuid u{hi, rng_.next()};
  u.hi = (u.hi & ~0xF000ULL) | 0x4000ULL;                       // version 4
  u.lo = (u.lo & ~(0xC000000000000000ULL)) | 0x8000000000000000ULL;  // RFC 4122 variant
  return u;
}

std::uint64_t stable_hash(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace st
