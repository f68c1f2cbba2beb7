#include "backend/journal/journal.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "backend/core/diagnostics.h"
#include "backend/core/format.h"

namespace st {

namespace journal {

namespace {
constexpr auto kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 256; ++c) t[c] = needs_json_escape(static_cast<unsigned char>(c));
  return t;
}();

// True when one of the eight bytes of `w` needs a JSON escape: a byte b < 0x20 sets the high bit
// of (b - 0x20) & ~b, and equality with c is a zero byte in b ^ c (SWAR, eight bytes per step).
inline bool word_needs_escape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return ((((w - kOnes * 0x20) & ~w) | zero_byte(w ^ (kOnes * '"')) | zero_byte(w ^ (kOnes * '\\'))) & kHigh) != 0;
}

inline std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

#if defined(__SSE2__)
inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline void store16(char* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
// True when one of the sixteen bytes needs a JSON escape: '"', '\\', or below 0x20 (unsigned:
// min(b, 0x1f) == b).
inline bool block_needs_escape(__m128i v) {
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
  return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) != 0;
}
#endif

// Writes `text` quoted and escaped at `q`, which has room for 6 * text.size() + 2 bytes plus 16
// (whole blocks are stored before they are known to be needed); returns one past the end.
char* write_json_string(char* q, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* s = text.data();
  const std::size_t n = text.size();
  *q++ = '"';
  // Names, ids and types need no escape: they go a word at a time, the last (partial) word
  // overlapping the one before it, and 4..7 bytes as two overlapping halves.
  std::size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes a step where the text is long enough (reasons, rationales, messages), the last
  // block overlapping the one before it; shorter texts take the word path below.
  if (n >= 16) {
    for (; i + 16 <= n && !block_needs_escape(load16(s + i)); i += 16, q += 16) store16(q, load16(s + i));
    if (i < n && i + 16 > n && !block_needs_escape(load16(s + n - 16))) {
      store16(q + (n - i) - 16, load16(s + n - 16));
      q += n - i;
      i = n;
    }
  } else
#endif
  if (n >= 8) {
    for (std::uint64_t w; i + 8 <= n && !word_needs_escape(w = load8(s + i)); i += 8, q += 8) std::memcpy(q, &w, 8);
    if (i < n && i + 8 > n) {
      const std::uint64_t w = load8(s + n - 8);
      if (!word_needs_escape(w)) {
        std::memcpy(q + (n - i) - 8, &w, 8);
        q += n - i;
        i = n;
      }
    }
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    if (!word_needs_escape(a | std::uint64_t{b} << 32)) {
      std::memcpy(q, &a, 4);
      std::memcpy(q + n - 4, &b, 4);
      q += n;
      i = n;
    }
  }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNeedsEscape[c]) {
      *q++ = static_cast<char>(c);
      continue;
    }
    *q++ = '\\';
    switch (c) {
      case '"': *q++ = '"'; break;
      case '\\': *q++ = '\\'; break;
      case '\n': *q++ = 'n'; break;
      case '\r': *q++ = 'r'; break;
      case '\t': *q++ = 't'; break;
      default:
        std::memcpy(q, "u00", 3);
        q[3] = kHex[c >> 4];
        q[4] = kHex[c & 15];
        q += 5;
    }
  }
  *q++ = '"';
  return q;
}

inline std::size_t json_string_room(std::size_t n) { return 6 * n + 2 + 16; }
}  // namespace

void append_json_string(Line& out, std::string_view text) {
  out.end_at(write_json_string(out.room(json_string_room(text.size())), text));
}

char* write_shortest(char* out, double value) {
  // The shortest correctly rounded digits (Dragonbox, from fmt), laid out the way std::to_chars
  // lays them out; journal_test checks the two agree on millions of doubles. `out` has room for
  // kMaxShortest bytes: digits are moved in fixed 20-byte blocks, not byte counts.
  if (value == 0) {
    if (std::signbit(value)) *out++ = '-';
    *out++ = '0';
    return out;
  }
  if (value < 0) *out++ = '-';
  const ShortestDigits shortest = shortest_digits(value);
  const char* digits = shortest.digits;
  const int n = shortest.n, exp = shortest.exp;  // |value| = digits * 10^exp
  const int point = n + exp;  // digits before the decimal point in fixed notation
  const int sci_exp = point - 1;
  const int abs_sci = sci_exp < 0 ? -sci_exp : sci_exp;
  const int sci_len = n + (n > 1 ? 1 : 0) + 2 + (abs_sci >= 100 ? 3 : 2);
  const int fixed_len = exp >= 0 ? n + exp : point > 0 ? n + 1 : 2 - point + n;
  if (fixed_len <= sci_len) {
    if (exp > 0) {
      // An integer whose shortest digits end in zeros: of the texts of this length, to_chars
      // gives the exact value (99999999999999984, not 99999999999999980).
      const auto bits = std::bit_cast<std::uint64_t>(std::fabs(value));
      const int shift = static_cast<int>(bits >> 52) - 1075;
      const std::uint64_t mantissa = (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
      unsigned __int128 exact = shift >= 0 ? static_cast<unsigned __int128>(mantissa) << shift : mantissa >> -shift;
      char* end = out + n + exp;
      for (char* p = end; p != out;) {
        *--p = static_cast<char>('0' + static_cast<int>(exact % 10));
        exact /= 10;
      }
      return end;
    }
    if (exp == 0) {  // an integer: its digits
      std::memcpy(out, digits, 20);
      return out + n;
    }
    if (point > 0) {  // digits, point, digits
      std::memcpy(out, digits, 20);
      out[point] = '.';
      std::memcpy(out + point + 1, digits + point, 20);
      return out + n + 1;
    }
    std::memcpy(out, "0.000000", 8);  // 0.{-point zeros}digits; -point <= 3 when fixed is shorter
    std::memcpy(out + 2 - point, digits, 20);
    return out + 2 - point + n;
  }
  *out++ = digits[0];
  if (n > 1) {
    *out++ = '.';
    std::memcpy(out, digits + 1, 20);
    out += n - 1;
  }
  *out++ = 'e';
  *out++ = sci_exp < 0 ? '-' : '+';
  if (abs_sci >= 100) *out++ = static_cast<char>('0' + abs_sci / 100);
  *out++ = static_cast<char>('0' + abs_sci / 10 % 10);
  *out++ = static_cast<char>('0' + abs_sci % 10);
  return out;
}

char* write_json_number(char* out, double value) {
  if (!std::isfinite(value)) {
    std::memcpy(out, "null", 4);
    return out + 4;
  }
  if (value == 0) value = 0;  // no "-0"
  return write_shortest(out, value);
}

void append_json_number(Line& out, double value) { out.end_at(write_json_number(out.room(kMaxShortest), value)); }

}  // namespace journal

namespace {
template <std::size_t N>
char* put(char* q, const char (&literal)[N]) {
  std::memcpy(q, literal, N - 1);
  return q + N - 1;
}
}  // namespace

EntryWriter StrategyJournal::entry(Timestamp t, JsonKey event_type, const CausalIds& ids) {
  // The line is built where the persistor will write it from, when it lets us; else in line_.
  // An entry left uncommitted (e.g. by an exception) is simply dropped: the next one starts over
  // it (line_in_place drops what followed the last committed line).
  if (journal::Line* in_place = out_->line_in_place()) {
    current_ = in_place;
  } else {
    current_ = &line_;
    line_.clear();
  }
  journal::Line& line = *current_;
  // The common fields in one piece of room: every part is a literal, a bounded text (seq <= 20
  // digits, time <= 32, ids 38 or "null") or the event type, escaped if it is not a checked literal.
  const std::string_view time = times_.get(t.ns, [&](char* out) { return out + iso_.write(t, out); });
  char* q = line.room(320 + journal::json_string_room(event_type.view().size()));
  q = put(q, "{\"seq\":");
  q = std::to_chars(q, q + 24, seq_ + 1).ptr;
  q = put(q, ",\"timestamp\":\"");
  journal::copy_short(q, time.data(), time.size());
  q = put(q + time.size(), "\",\"event_type\":");
  if (event_type.clean()) {
    *q++ = '"';
    journal::copy_short(q, event_type.view().data(), event_type.view().size());
    q += event_type.view().size();
    *q++ = '"';
  } else {
    q = journal::write_json_string(q, event_type.view());
  }
  q = put_id(put(q, ",\"opportunity_id\":"), ids.opportunity.value);
  q = put_id(put(q, ",\"trade_id\":"), ids.trade.value);
  q = put_id(put(q, ",\"threat_id\":"), ids.threat.value);
  q = put_id(put(q, ",\"scheduled_id\":"), ids.scheduled.value);
  line.end_at(q);
  return EntryWriter(*this);
}

char* StrategyJournal::put_number(char* q, double value) {
  if (!std::isfinite(value) || value == 0) return journal::write_json_number(q, value);
  const std::string_view text = numbers_.get(std::bit_cast<std::uint64_t>(value),
                                             [&](char* out) { return journal::write_shortest(out, value); });
  // The whole slot, a fixed-size copy (the slot holds kMaxShortest bytes; what lies past the
  // text is not kept).
  std::memcpy(q, text.data(), journal::kMaxShortest);
  return q + text.size();
}

char* StrategyJournal::put_id(char* q, const Uuid& id) {
  if (id.is_nil()) return put(q, "null");
  const std::string_view text = ids_.get(id, [&](char* out) {
    out[0] = '"';
    id.write(out + 1);
    out[37] = '"';
    return out + 38;
  });
  std::memcpy(q, text.data(), 38);
  return q + 38;
}

void StrategyJournal::commit_line() {
  *current_ += "}\n";
  ++seq_;
  if (current_ == &line_) out_->append(line_.view());
  else out_->commit_in_place();
}

EntryWriter::EntryWriter(StrategyJournal& journal) : journal_(&journal), out_(journal.current_) {
  stack_[0] = kHasMembers;  // the entry object already has its common fields
  depth_ = 1;
}

void EntryWriter::push(std::uint8_t flags) {
  if (depth_ == kMaxDepth) throw Error("journal: entry nested deeper than 16 objects or arrays");
  stack_[depth_++] = flags;
}

void EntryWriter::escaped_key(std::string_view text, bool comma) {
  if (comma) out_->push_back(',');
  char* q = journal::write_json_string(out_->room(journal::json_string_room(text.size()) + 1), text);
  *q++ = ':';
  out_->end_at(q);
}

EntryWriter& EntryWriter::str(JsonKey k, std::string_view value) {
  char* q = key_and_room(k, journal::json_string_room(value.size()));
  out_->end_at(journal::write_json_string(q, value));
  return *this;
}

EntryWriter& EntryWriter::num(JsonKey k, double value) {
  out_->end_at(journal_->put_number(key_and_room(k, journal::kMaxShortest), value));
  return *this;
}

EntryWriter& EntryWriter::integer(JsonKey k, std::int64_t value) {
  char* q = key_and_room(k, 24);
  out_->end_at(std::to_chars(q, q + 24, value).ptr);
  return *this;
}

EntryWriter& EntryWriter::dec(JsonKey k, const Decimal& value) {
  char* q = key_and_room(k, Decimal::kMaxChars + 2);  // written in place: no copy of a buffer
  *q = '"';
  q = value.write(q + 1);
  *q++ = '"';
  out_->end_at(q);
  return *this;
}

EntryWriter& EntryWriter::boolean(JsonKey k, bool value) {
  key(k);
  *out_ += value ? "true" : "false";
  return *this;
}

EntryWriter& EntryWriter::null(JsonKey k) {
  key(k);
  *out_ += "null";
  return *this;
}

EntryWriter& EntryWriter::details(JsonKey k, const Details& values) {
  begin_object(k);
  for (const auto& [name, v] : values) num(JsonKey::text(name), v);
  return end_object();
}

EntryWriter& EntryWriter::begin_object(JsonKey k) {
  key(k);
  out_->push_back('{');
  push(0);
  return *this;
}

EntryWriter& EntryWriter::end_object() {
  if (depth_ < 2 || (stack_[depth_ - 1] & kIsArray)) throw Error("journal: end_object without begin_object");
  --depth_;
  out_->push_back('}');
  return *this;
}

EntryWriter& EntryWriter::begin_array(JsonKey k) {
  key(k);
  out_->push_back('[');
  push(kIsArray);
  return *this;
}

EntryWriter& EntryWriter::end_array() {
  if (depth_ < 2 || !(stack_[depth_ - 1] & kIsArray)) throw Error("journal: end_array without begin_array");
  --depth_;
  out_->push_back(']');
  return *this;
}

void EntryWriter::commit() {
  if (depth_ != 1) throw Error("journal: entry committed with an open object or array");
  journal_->commit_line();
}

}  // namespace st
