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
#include "backend/core/decimal.h"
#include "backend/core/ids.h"
#include "backend/core/time.h"
#include "backend/journal/journal_persistor.h"

namespace st {

struct CausalIds {
  OpportunityId opportunity;
  TradeId trade;
  ThreatId threat;
  ScheduledId scheduled;
};

class StrategyJournal;

namespace journal {
// The text of one journal line being built: a plain growable byte buffer whose appends are
// inline (one capacity compare and a copy), cleared and reused for every entry. (std::string's
// appends go through out-of-line library calls; a line takes 10-30 of them.)
class Line {
 public:
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.data(), size_}; }
  void push_back(char c) {
    if (size_ == data_.size()) grow(1);
    data_[size_++] = c;
  }
  void append(const char* p, std::size_t n) {
    if (data_.size() - size_ < n) grow(n);
    std::memcpy(data_.data() + size_, p, n);
    size_ += n;
  }
  void append(const char* first, const char* last) { append(first, static_cast<std::size_t>(last - first)); }
  Line& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  // Room for `n` more bytes, written through the returned pointer; then end_at(one past the
  // last byte written). One capacity check for a whole field instead of one per piece.
  char* room(std::size_t n) {
    if (data_.size() - size_ < n) grow(n);
    return data_.data() + size_;
  }
  void end_at(const char* end) { size_ = static_cast<std::size_t>(end - data_.data()); }

 private:
  void grow(std::size_t n) { data_.resize(std::max(data_.size() * 2, std::max<std::size_t>(size_ + n, 512))); }
  std::vector<char> data_;
  std::size_t size_ = 0;
};

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
}  // namespace journal

// Builds one entry. Keys are ignored inside arrays. commit() hands the line to the journal;
// an entry that is never committed is dropped.
class EntryWriter {
 public:
  EntryWriter& str(std::string_view key, std::string_view value);
  EntryWriter& num(std::string_view key, double value);  // non-finite -> null
  EntryWriter& integer(std::string_view key, std::int64_t value);
  EntryWriter& dec(std::string_view key, const Decimal& value);  // exact, as a JSON string
  EntryWriter& boolean(std::string_view key, bool value);
  EntryWriter& null(std::string_view key);
  EntryWriter& details(std::string_view key, const Details& values);  // object name -> number
  EntryWriter& begin_object(std::string_view key);
  EntryWriter& end_object();
  EntryWriter& begin_array(std::string_view key);
  EntryWriter& end_array();
  void commit();

 private:
  friend class StrategyJournal;
  explicit EntryWriter(StrategyJournal& journal);
  void key(std::string_view k);
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

  EntryWriter entry(Timestamp t, std::string_view event_type, const CausalIds& ids);
  std::uint64_t count() const { return seq_; }
  void flush() { out_->flush(); }

 private:
  friend class EntryWriter;
  void commit_line();
  // A number's shortest text and a causal id as a JSON string (null when nil), from the
  // recent texts when they are there.
  void append_number(double value);
  void append_id(const Uuid& id);
  IJournalPersistor* out_;
  std::uint64_t seq_ = 0;
  journal::Line line_;
  bool open_ = false;
  journal::RecentTexts<std::int64_t, 1, 32> times_;                       // format_iso: <= 32 bytes
  journal::RecentTexts<std::uint64_t, 4, journal::kMaxShortest> numbers_;  // by the double's bits
  journal::RecentTexts<Uuid, 4, 38> ids_;                                  // quoted
};

namespace journal {
// Appends `text` as a JSON string literal (quoted, escaped) to `out`.
void append_json_string(Line& out, std::string_view text);
// Shortest round-trip text of a double; "null" when not finite.
void append_json_number(Line& out, double value);
// The text std::to_chars(first, last, value) gives for a finite double (the shortest digits that
// read back to `value`, fixed or scientific, whichever is shorter, fixed on a tie), written at
// `out`, which has room for kMaxShortest bytes; returns one past its end.
char* write_shortest(char* out, double value);
}  // namespace journal

}  // namespace st
