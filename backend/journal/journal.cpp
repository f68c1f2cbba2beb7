#include "backend/journal/journal.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "backend/core/diagnostics.h"

namespace st {

namespace journal {

namespace {
constexpr auto kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

// Index of the first character at or after `i` that JSON needs escaped (control, '"', '\\'), or
// text.size(). Eight bytes per step (SWAR): a byte b < 0x20 sets the high bit of (b - 0x20) & ~b,
// and equality with c is a zero byte in b ^ c.
std::size_t find_escape(std::string_view text, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    if ((((w - kOnes * 0x20) & ~w) | zero_byte(w ^ (kOnes * '"')) | zero_byte(w ^ (kOnes * '\\'))) & kHigh) break;
  }
  for (; i < text.size(); ++i)
    if (kNeedsEscape[static_cast<unsigned char>(text[i])]) return i;
  return i;
}
}  // namespace

void append_json_string(Line& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that need no escape are appended whole (names, ids, types: nearly all).
  std::size_t run = 0;
  for (std::size_t i = find_escape(text, 0); i < text.size(); i = find_escape(text, run)) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void append_json_number(Line& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  if (value == 0) value = 0;  // no "-0"
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

}  // namespace journal

namespace {
constexpr std::uint8_t kHasMembers = 1, kIsArray = 2;

void append_id(journal::Line& out, const Uuid& id) {
  if (id.is_nil()) {
    out += "null";
    return;
  }
  char buf[36];
  id.write(buf);
  out.push_back('"');
  out.append(buf, 36);
  out.push_back('"');
}
}  // namespace

EntryWriter StrategyJournal::entry(Timestamp t, std::string_view event_type, const CausalIds& ids) {
  open_ = true;  // an entry left uncommitted (e.g. by an exception) is simply dropped
  line_.clear();
  line_ += "{\"seq\":";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, seq_ + 1);
  line_.append(buf, r.ptr);
  line_ += ",\"timestamp\":\"";
  line_.append(buf, format_iso(t, buf));
  line_ += "\",\"event_type\":";
  journal::append_json_string(line_, event_type);
  line_ += ",\"opportunity_id\":";
  append_id(line_, ids.opportunity.value);
  line_ += ",\"trade_id\":";
  append_id(line_, ids.trade.value);
  line_ += ",\"threat_id\":";
  append_id(line_, ids.threat.value);
  line_ += ",\"scheduled_id\":";
  append_id(line_, ids.scheduled.value);
  return EntryWriter(*this);
}

void StrategyJournal::commit_line() {
  line_ += "}\n";
  ++seq_;
  open_ = false;
  out_->append(line_.view());
}

EntryWriter::EntryWriter(StrategyJournal& journal) : journal_(&journal), out_(&journal.line_) {
  stack_[0] = kHasMembers;  // the entry object already has its common fields
  depth_ = 1;
}

void EntryWriter::push(std::uint8_t flags) {
  if (depth_ == kMaxDepth) throw Error("journal: entry nested deeper than 16 objects or arrays");
  stack_[depth_++] = flags;
}

void EntryWriter::key(std::string_view k) {
  std::uint8_t& top = stack_[depth_ - 1];
  if (top & kHasMembers) out_->push_back(',');
  top |= kHasMembers;
  if (!(top & kIsArray)) {
    journal::append_json_string(*out_, k);
    out_->push_back(':');
  }
}

EntryWriter& EntryWriter::str(std::string_view k, std::string_view value) {
  key(k);
  journal::append_json_string(*out_, value);
  return *this;
}

EntryWriter& EntryWriter::num(std::string_view k, double value) {
  key(k);
  journal::append_json_number(*out_, value);
  return *this;
}

EntryWriter& EntryWriter::integer(std::string_view k, std::int64_t value) {
  key(k);
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, r.ptr);
  return *this;
}

EntryWriter& EntryWriter::dec(std::string_view k, const Decimal& value) {
  key(k);
  char buf[Decimal::kMaxChars + 2];
  buf[0] = '"';
  char* end = value.write(buf + 1);
  *end++ = '"';
  out_->append(buf, end);
  return *this;
}

EntryWriter& EntryWriter::boolean(std::string_view k, bool value) {
  key(k);
  *out_ += value ? "true" : "false";
  return *this;
}

EntryWriter& EntryWriter::null(std::string_view k) {
  key(k);
  *out_ += "null";
  return *this;
}

EntryWriter& EntryWriter::details(std::string_view k, const Details& values) {
  begin_object(k);
  for (const auto& [name, v] : values) num(name, v);
  return end_object();
}

EntryWriter& EntryWriter::begin_object(std::string_view k) {
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

EntryWriter& EntryWriter::begin_array(std::string_view k) {
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
