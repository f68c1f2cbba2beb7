// Causal IDs (DESIGN §7): OpportunityID, TradeID, ThreatID, ScheduledID.
//
// 128-bit values written in UUID text form (RFC 4122 version 4 layout). In backtests they come
// from a seeded generator, so the same config and data give the same ids, byte for byte.
// Distinct types keep a ThreatID from being passed where a TradeID is expected.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/core/random.h"

namespace st {

struct Uuid {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  bool is_nil() const { return hi == 0 && lo == 0; }
  std::string to_string() const;  // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case
  void write(char out[36]) const;
  static std::optional<Uuid> parse(std::string_view text);
  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

template <class Tag>
struct TypedId {
  Uuid value;
  bool is_nil() const { return value.is_nil(); }
  explicit operator bool() const { return !value.is_nil(); }
  std::string to_string() const { return value.to_string(); }
  friend bool operator==(const TypedId&, const TypedId&) = default;
  friend auto operator<=>(const TypedId&, const TypedId&) = default;
};

using OpportunityId = TypedId<struct OpportunityTag>;
using TradeId = TypedId<struct TradeTag>;
using ThreatId = TypedId<struct ThreatTag>;
using ScheduledId = TypedId<struct ScheduledTag>;

// Deterministic generator: xoshiro256** seeded through splitmix64. Not thread-safe; each
// strategy link owns one. A live run seeds it from std::random_device.
class IdGenerator {
 public:
  explicit IdGenerator(std::uint64_t seed);
  Uuid next();
  template <class Id>
  Id next_id() { return Id{next()}; }

 private:
  Xoshiro256 rng_;
};

// Stable 64-bit hash of a string (FNV-1a), to derive per-link seeds from names.
std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace st
