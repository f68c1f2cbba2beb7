// The StrategyJournal (DESIGN §7, docs/journal.md): the causal, append-only record of why.
//
// Entries are written field by field straight into JSON text (no DOM per entry), in a fixed
// order, so the same run gives the same bytes:
//   journal.entry(t, "TRADE_OPENED", {opportunity, trade, {}, {}})
//       .str("direction", "LONG").dec("size", size).num("atr", 1.25).commit();
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "backend/api/dto.h"
#include "backend/core/diagnostics.h"
#include "backend/core/decimal.h"
#include "backend/core/ids.h"
#include "backend/core/time.h"
#include "backend/journal/journal_persistor.h"
#include "backend/journal/line.h"

namespace st {

struct CausalIds {
  OpportunityId opportunity;
  TradeId trade;
  ThreatId threat;
  ScheduledId scheduled;
};

class StrategyJournal;

namespace journal {
// Room a shortest number's text needs (write_shortest below).
inline constexpr std::size_t kMaxShortest = 48;

// The texts last made for a few keys (a time, a number's bits, an id), replaced round-robin.
// Journal lines repeat them — the entries of one bar share a time, a signal's indicator values
// come again in its context and plan, a trade's entries carry its ids — and a text found here
// is copied instead of made again.
template <class Key, std::size_t kSlots, std::size_t kTextBytes>
class RecentTexts {
 public:
  // The text of `key`; when it is not here, make(char* out) writes it (at most kTextBytes) and
  // returns its end.
  template <class Make>
  std::string_view get(const Key& key, Make&& make) {
    for (const auto& e : entries_)
      if (e.len != 0 && e.key == key) return {e.text, e.len};
    Entry& e = entries_[next_];
    next_ = next_ + 1 == kSlots ? 0 : next_ + 1;
    e.key = key;
    e.len = static_cast<std::size_t>(make(e.text) - e.text);
    return {e.text, e.len};
  }

 private:
  struct Entry {
    Key key{};
    std::size_t len = 0;  // 0: empty
    char text[kTextBytes];
  };
  std::array<Entry, kSlots> entries_{};
  std::size_t next_ = 0;
};

// True for the bytes a JSON string must escape: '"', '\\' and the controls below 0x20.
constexpr bool needs_json_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Copies n <= 32 bytes as two overlapping loads and stores of the widest size that fits.
inline void copy_short(char* d, const char* s, std::size_t n) {
  const auto two = [&]<std::size_t W>() {
    char a[W], b[W];
    std::memcpy(a, s, W);
    std::memcpy(b, s + n - W, W);
    std::memcpy(d, a, W);
    std::memcpy(d + n - W, b, W);
  };
  if (n >= 16) {
    two.template operator()<16>();
  } else if (n >= 8) {
    two.template operator()<8>();
  } else if (n >= 4) {
    two.template operator()<4>();
  } else {
    for (std::size_t i = 0; i < n; ++i) d[i] = s[i];
  }
}
}  // namespace journal

// The key of a field. A string literal is checked when the program is compiled (a key that would
// need a JSON escape does not compile) and written as it is, with no scan; a key known only at
// run time (an indicator's name, a parameter's) is made with JsonKey::text and escaped as needed.
class JsonKey {
 public:
  template <std::size_t N>
  consteval JsonKey(const char (&literal)[N])  // NOLINT: implicit, so that .num("atr", v) reads as before
      : data_(literal), size_(N - 1), clean_(true) {
    for (std::size_t i = 0; i + 1 < N; ++i)
      if (journal::needs_json_escape(static_cast<unsigned char>(literal[i])))
        throw "a journal key literal must need no JSON escape";
    if (N - 1 > kMaxLiteral) throw "a journal key literal is longer than 32 bytes";
  }
  // A key made at run time, escaped when written; `text` must outlive the JsonKey.
  static JsonKey text(std::string_view text) { return JsonKey(text.data(), text.size(), false); }
  // The same, checked now, so that writing it is a copy when it needs no escape: for a key that
  // is written many times (a context column's name, in every signal's snapshot).
  static JsonKey checked(std::string_view text) {
    bool clean = text.size() <= kMaxLiteral;
    for (const char c : text) clean = clean && !journal::needs_json_escape(static_cast<unsigned char>(c));
    return JsonKey(text.data(), text.size(), clean);
  }

  std::string_view view() const { return {data_, size_}; }
  bool clean() const { return clean_; }  // checked: no escape, at most kMaxLiteral bytes
  static constexpr std::size_t kMaxLiteral = 32;

 private:
  JsonKey(const char* data, std::size_t size, bool clean)
      : data_(data), size_(static_cast<std::uint32_t>(size)), clean_(clean) {
    if (size > UINT32_MAX) throw Error("journal: a key longer than 4 GiB");
  }
  // Two registers when passed by value.
  const char* data_;
  std::uint32_t size_;
  bool clean_;
};

// Builds one entry. Keys are ignored inside arrays. commit() hands the line to the journal;
// an entry that is never committed is dropped.
class EntryWriter {
 public:
  EntryWriter& str(JsonKey key, std::string_view value);
  EntryWriter& num(JsonKey key, double value);  // non-finite -> null
  EntryWriter& integer(JsonKey key, std::int64_t value);
  EntryWriter& dec(JsonKey key, const Decimal& value);  // exact, as a JSON string
  EntryWriter& boolean(JsonKey key, bool value);
  EntryWriter& null(JsonKey key);
  EntryWriter& details(JsonKey key, const Details& values);  // object name -> number
  EntryWriter& begin_object(JsonKey key);
  EntryWriter& end_object();
  EntryWriter& begin_array(JsonKey key);
  EntryWriter& end_array();
  void commit();

 private:
  friend class StrategyJournal;
  explicit EntryWriter(StrategyJournal& journal);
  // ,"key": (no key inside an array); a checked key is copied, any other escaped out of line.
  void key(JsonKey k) { out_->end_at(key_and_room(k, 0)); }
  // The key, then room for `value_room` more bytes after it (one capacity check for the field):
  // returns where the value goes; the caller writes it and ends the line there.
  char* key_and_room(JsonKey k, std::size_t value_room) {
    std::uint8_t& top = stack_[depth_ - 1];
    const bool comma = top & kHasMembers;
    top |= kHasMembers;
    if (top & kIsArray) {
      char* q = out_->room(value_room + 1);
      *q = ',';
      return q + comma;
    }
    if (!k.clean()) {
      escaped_key(k.view(), comma);
      return out_->room(value_room);
    }
    const std::size_t n = k.view().size();
    char* q = out_->room(JsonKey::kMaxLiteral + 4 + value_room);
    *q = ',';
    q += comma;
    *q++ = '"';
    journal::copy_short(q, k.view().data(), n);
    q[n] = '"';
    q[n + 1] = ':';
    return q + n + 2;
  }
  void escaped_key(std::string_view text, bool comma);
  static constexpr std::uint8_t kHasMembers = 1, kIsArray = 2;
  StrategyJournal* journal_;
  journal::Line* out_;
  void push(std::uint8_t flags);
  static constexpr std::size_t kMaxDepth = 16;
  std::uint8_t stack_[kMaxDepth] = {};  // per open container: bit0 = has members, bit1 = is array
  std::size_t depth_ = 0;
};

class StrategyJournal {
 public:
  explicit StrategyJournal(IJournalPersistor& out) : out_(&out) {}

  // The entry's common fields; an event type literal is checked when compiled, like a key.
  EntryWriter entry(Timestamp t, JsonKey event_type, const CausalIds& ids);
  std::uint64_t count() const { return seq_; }
  void flush() { out_->flush(); }

 private:
  friend class EntryWriter;
  void commit_line();
  // A number's shortest text and a causal id as a JSON string (null when nil), from the
  // recent texts when they are there.
  char* put_number(char* q, double value);  // its text at q (room for kMaxShortest); returns the end
  char* put_id(char* q, const Uuid& id);  // "the id" or null; 38 bytes of room
  IJournalPersistor* out_;
  std::uint64_t seq_ = 0;
  journal::Line line_;  // the line, for a persistor that takes lines through append()
  journal::Line* current_ = &line_;  // where the entry being built is: line_ or the persistor's buffer
  journal::RecentTexts<std::int64_t, 1, 32> times_;                       // format_iso: <= 32 bytes
  IsoTimeWriter iso_;
  journal::RecentTexts<std::uint64_t, 4, journal::kMaxShortest> numbers_;  // by the double's bits
  journal::RecentTexts<Uuid, 4, 38> ids_;                                  // quoted
};

namespace journal {
// Appends `text` as a JSON string literal (quoted, escaped) to `out`.
void append_json_string(Line& out, std::string_view text);
// Shortest round-trip text of a double; "null" when not finite.
void append_json_number(Line& out, double value);
char* write_json_number(char* out, double value);  // the same at out (room for kMaxShortest); returns the end
// The text std::to_chars(first, last, value) gives for a finite double (the shortest digits that
// read back to `value`, fixed or scientific, whichever is shorter, fixed on a tie), written at
// `out`, which has room for kMaxShortest bytes; returns one past its end.
char* write_shortest(char* out, double value);
}  // namespace journal

}  // namespace st
