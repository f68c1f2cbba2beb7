#include "backend/journal/journal.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/core/diagnostics.h"
#include "backend/core/page_cache_test_util.h"
#include "backend/core/random.h"
#include "backend/journal/integrity.h"
#include "backend/journal/journal_persistor.h"
#include "backend/journal/reader.h"

namespace st {
namespace {

TEST(StrategyJournal, WritesCommonFieldsThenDetailsInOrder) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  const OpportunityId opp{Uuid{0x0123456789abcdefULL, 0x0fedcba987654321ULL}};
  j.entry(Timestamp::from_seconds(86400), "OPPORTUNITY_DETECTED", {opp, {}, {}, {}})
      .str("worker", "ma_cross")
      .num("strength", 0.5)
      .dec("price", Decimal::parse("101.25"))
      .integer("bars", -3)
      .boolean("gap", true)
      .null("nothing")
      .details("details", {{"fast", 1.5}, {"slow", 2.0}})
      .commit();
  ASSERT_EQ(out.lines().size(), 1u);
  EXPECT_EQ(out.lines()[0],
            "{\"seq\":1,\"timestamp\":\"1970-01-02T00:00:00Z\",\"event_type\":\"OPPORTUNITY_DETECTED\","
            "\"opportunity_id\":\"" + opp.to_string() + "\",\"trade_id\":null,\"threat_id\":null,"
            "\"scheduled_id\":null,\"worker\":\"ma_cross\",\"strength\":0.5,\"price\":\"101.25\",\"bars\":-3,"
            "\"gap\":true,\"nothing\":null,\"details\":{\"fast\":1.5,\"slow\":2}}\n");
  EXPECT_EQ(j.count(), 1u);
}

TEST(StrategyJournal, EscapesStringsAndWritesNonFiniteAsNull) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  j.entry(Timestamp{}, "X", {}).str("m", "a\"b\\c\nd\x01").num("n", std::nan("")).num("z", -0.0).commit();
  auto parsed = journal::parse_journal(out.lines()[0], "mem");
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["m"], "a\"b\\c\nd\x01");
  EXPECT_TRUE(parsed[0]["n"].is_null());
  EXPECT_NE(out.lines()[0].find("\"z\":0}"), std::string::npos) << out.lines()[0];
}

// The event type: a literal is copied (every length up to the 32 bytes of a literal), a run-time
// one is escaped; both read back as given, with the common fields around them intact.
TEST(StrategyJournal, EventTypesReadAsGiven) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  const std::string types[] = {"", "A", "ABCD", "ORDER_SUBMITTED", "OPPORTUNITY_REJECTED_0123456789X", "we\"ird\\\n",
                               std::string(40, 'L')};
  for (const auto& type : types) j.entry(Timestamp::from_seconds(60), JsonKey::checked(type), {}).commit();
  for (const auto& type : types) j.entry(Timestamp::from_seconds(60), JsonKey::text(type), {}).commit();
  j.entry(Timestamp{}, "OPPORTUNITY_REJECTED_0123456789X", {}).commit();
  ASSERT_EQ(out.lines().size(), 15u);
  for (std::size_t i = 0; i < 15; ++i) {
    const auto parsed = journal::parse_journal(out.lines()[i], "mem");
    ASSERT_EQ(parsed.size(), 1u) << out.lines()[i];
    EXPECT_EQ(parsed[0]["seq"], i + 1);
    EXPECT_EQ(parsed[0]["event_type"], i < 14 ? types[i % 7] : types[4]) << out.lines()[i];
    EXPECT_TRUE(parsed[0]["scheduled_id"].is_null());
  }
}

// Keys checked once (JsonKey::checked, as the context's column names) are copied as they are when
// clean and escaped when not; every length 0..40 (the copy's overlapping words at 4, 8 and 16
// bytes, and past the 32 bytes a copied key may have) gives the text the escaping path gives.
TEST(StrategyJournal, CheckedKeysReadAsEscapedKeys) {
  for (std::size_t n = 0; n <= 40; ++n) {
    for (const char odd : {'k', '"', '\\', '\n'}) {
      std::string name;
      for (std::size_t i = 0; i < n; ++i) name.push_back(static_cast<char>('a' + i % 26));
      if (n > 0) name[n / 2] = odd;
      MemoryJournalPersistor checked, escaped;
      StrategyJournal a(checked), b(escaped);
      a.entry(Timestamp{}, "X", {}).num(JsonKey::checked(name), 1.5).begin_object("o").num(JsonKey::checked(name), 2).end_object().commit();
      b.entry(Timestamp{}, "X", {}).num(JsonKey::text(name), 1.5).begin_object("o").num(JsonKey::text(name), 2).end_object().commit();
      ASSERT_EQ(checked.lines()[0], escaped.lines()[0]) << n << " " << odd;
      const auto parsed = journal::parse_journal(checked.lines()[0], "mem");
      ASSERT_EQ(parsed[0][name], 1.5) << checked.lines()[0];
      ASSERT_EQ(parsed[0]["o"][name], 2) << checked.lines()[0];
    }
  }
}

// The block- and word-at-a-time scans must find every character that needs an escape, wherever
// it falls in a 16- or 8-byte block, and leave UTF-8 and printable ASCII alone.
TEST(JsonString, EscapesEveryCharacterAtEveryOffset) {
  const auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
      else out.push_back(static_cast<char>(c));
    }
    return out + "\"";
  };
  for (int c = 0; c < 256; ++c)
    for (std::size_t len = 1; len <= 40; ++len)  // the 4-, 8- and 16-byte paths, their tails
      for (std::size_t at = 0; at < len; ++at) {
        std::string text(len, 'a');
        text[at] = static_cast<char>(c);
        journal::Line out;
        journal::append_json_string(out, text);
        ASSERT_EQ(out.view(), reference(text)) << "char " << c << " at " << at << " of " << len;
      }
  journal::Line out;
  journal::append_json_string(out, "\x01\x1f\"\\ caf\xc3\xa9 \x7f done, and some more text past eight bytes");
  EXPECT_EQ(out.view(), reference("\x01\x1f\"\\ caf\xc3\xa9 \x7f done, and some more text past eight bytes"));
}

// A string of nothing but escapes is the longest text per character (6 bytes: \u0001); the
// writer reserves for it in one go.
TEST(JsonString, AStringOfOnlyEscapesFits) {
  const std::string text(1000, '\x01');
  journal::Line out;
  journal::append_json_string(out, "k");
  journal::append_json_string(out, text);
  std::string expected = "\"k\"\"";
  for (int i = 0; i < 1000; ++i) expected += "\\u0001";
  EXPECT_EQ(out.view(), expected + "\"");
}

// The journal's number text must stay what std::to_chars gives (journals are compared byte for
// byte across versions): prices, indicator values, ratios, integers, powers of ten at the
// fixed/scientific boundary, subnormals, the extremes and random bit patterns.
TEST(JsonNumber, ShortestTextIsStdToChars) {
  const auto check = [](double v) {
    char want[64], got[journal::kMaxShortest];
    const auto r = std::to_chars(want, want + sizeof want, v);
    const std::string_view expected(want, static_cast<std::size_t>(r.ptr - want));
    const std::string_view actual(got, static_cast<std::size_t>(journal::write_shortest(got, v) - got));
    ASSERT_LE(actual.size(), journal::kMaxShortest);
    ASSERT_EQ(actual, expected) << "bits " << std::bit_cast<std::uint64_t>(v);
  };
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 1e22, 1e23, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                   100.2169, 0.11381147219665279, 123456789012345680.0, 1e15, 1e16, 1e17, 1e-5, 1e-4, 1.5e-5})
    check(v);
  for (int e = -330; e <= 310; ++e)
    for (double m : {1.0, 1.5, 9.999999999999999, 123.0, 1234567.0}) {
      const double v = m * std::pow(10.0, e);
      if (std::isfinite(v)) check(v), check(-v);
    }
  Xoshiro256 rng(7);
  for (int i = 0; i < 1000000; ++i) {
    const double v = std::bit_cast<double>(rng.next());
    if (std::isfinite(v)) check(v);
    check(std::round(rng.uniform() * 1e9) / 1e4);  // 4-decimal prices
    check((rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(static_cast<int>(rng.next() % 40) - 20)));
    check(static_cast<double>(static_cast<std::int64_t>(rng.next() >> (rng.next() % 64))));
  }
  // Decimals of 0 to 9 places up to where the short-decimal path ends (2^51 / 10^8), their
  // neighbours one ulp away, and the values at that bound: the path that reads digits off
  // round(value * 10^8) must give what Dragonbox and to_chars give.
  const double bound = 0x1p51 / 1e8;
  for (int i = 0; i < 1000000; ++i) {
    const int places = static_cast<int>(rng.next() % 10);
    const double scale = std::pow(10.0, places);
    const double v = std::round(rng.uniform() * bound * (i % 2 == 0 ? 1.0 : 1e-4) * scale) / scale;
    check(v), check(-v), check(std::nextafter(v, 0.0)), check(std::nextafter(v, 1e300));
  }
  for (double v = bound; v > bound * (1 - 1e-14); v = std::nextafter(v, 0.0)) check(v), check(std::round(v));
}

// Entries of one bar share the text of their time (written once, kept for the next entry); a
// new time, or an earlier one again, gets its own.
TEST(StrategyJournal, EachEntryCarriesItsOwnTime) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  const Timestamp a{1'700'000'000'000'000'000}, b{1'700'000'060'123'000'000};
  for (Timestamp t : {a, a, b, a, Timestamp{}, b}) j.entry(t, "X", {}).commit();
  std::vector<std::string> times;
  for (const auto& line : out.lines()) times.push_back(journal::parse_journal(line, "mem")[0]["timestamp"]);
  EXPECT_EQ(times, (std::vector<std::string>{"2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z", "2023-11-14T22:14:20.123Z",
                                             "2023-11-14T22:13:20Z", "1970-01-01T00:00:00Z", "2023-11-14T22:14:20.123Z"}));
}

// Numbers repeated within and across entries (served from the last few written) read the same as
// numbers written afresh: every value, in an order that fills, hits and evicts the recent ones,
// with 0, -0, NaN and neighbouring doubles among them.
TEST(StrategyJournal, RepeatedNumbersReadAsWrittenAfresh) {
  const double a = 100.17436176961193, b = 0.11381147219665279;
  const std::vector<double> values = {a, b, a, 100.2169, a, 1.0, 2.0, 3.0, 4.0, a, b, std::nextafter(a, 0.0),
                                      0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), a, -a, 1e300, 5e-324, b};
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  for (int entry = 0; entry < 3; ++entry) {
    auto e = j.entry(Timestamp{}, "X", {});
    for (std::size_t i = 0; i < values.size(); ++i) e.num(JsonKey::text("v" + std::to_string(i)), values[(i + entry * 7) % values.size()]);
    e.commit();
  }
  for (int entry = 0; entry < 3; ++entry) {
    std::string expected;
    for (std::size_t i = 0; i < values.size(); ++i) {
      journal::Line text;
      journal::append_json_number(text, values[(i + entry * 7) % values.size()]);
      expected += fmt::format(",\"v{}\":{}", i, text.view());
    }
    const std::string& line = out.lines()[static_cast<std::size_t>(entry)];
    EXPECT_EQ(line.substr(line.find(",\"v0\":")), expected + "}\n") << "entry " << entry;
  }
}

// Ids repeated across entries (served from the last few written, one by one and as the four
// fields together) read as their own text, through fills, hits and evictions, and a nil id is
// null wherever it appears.
TEST(StrategyJournal, RepeatedIdsReadAsTheirOwnText) {
  std::vector<Uuid> ids;
  for (std::uint64_t k = 1; k <= 6; ++k) ids.push_back(Uuid{k * 0x1111111111111111ULL, ~k});
  ids.push_back(Uuid{ids[0].hi, ids[0].lo + 1});  // differs from the first in its last bits only
  ids.push_back(Uuid{});                           // nil
  const std::size_t order[] = {0, 1, 0, 2, 3, 7, 4, 5, 0, 6, 1, 0, 6, 7, 7, 1};
  const std::size_t n_entries = std::size(order) - 1;
  const auto ids_of = [&](std::size_t n) {
    const std::size_t a = order[n % n_entries], b = order[n % n_entries + 1];
    // The threat and scheduled ids vary with the entry too: a quadruple differs from one that
    // shares its first two ids.
    return CausalIds{OpportunityId{ids[a]}, TradeId{ids[b]}, ThreatId{n % 3 == 0 ? Uuid{} : ids[b]},
                     ScheduledId{n % 2 == 0 ? Uuid{} : ids[a]}};
  };
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  // Twice through the list, once with each entry repeated: every kind of hit and miss.
  std::vector<std::size_t> sequence;
  for (std::size_t n = 0; n < n_entries; ++n) sequence.push_back(n);
  for (std::size_t n = 0; n < n_entries; ++n) sequence.push_back(n), sequence.push_back(n);
  for (std::size_t n : sequence) j.entry(Timestamp{}, "X", ids_of(n)).commit();
  const auto text = [](const Uuid& id) { return id.is_nil() ? nlohmann::ordered_json() : nlohmann::ordered_json(id.to_string()); };
  for (std::size_t k = 0; k < sequence.size(); ++k) {
    const auto e = journal::parse_journal(out.lines()[k], "mem")[0];
    const CausalIds want = ids_of(sequence[k]);
    EXPECT_EQ(e["opportunity_id"], text(want.opportunity.value)) << "entry " << k;
    EXPECT_EQ(e["trade_id"], text(want.trade.value)) << "entry " << k;
    EXPECT_EQ(e["threat_id"], text(want.threat.value)) << "entry " << k;
    EXPECT_EQ(e["scheduled_id"], text(want.scheduled.value)) << "entry " << k;
  }
}

TEST(StrategyJournal, NestedObjectsAndArraysRoundTrip) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  auto e = j.entry(Timestamp{}, "RUN_STARTED", {});
  e.begin_array("workers");
  for (int i = 0; i < 3; ++i) e.begin_object("").str("id", "w" + std::to_string(i)).begin_object("params").end_object().end_object();
  e.end_array().begin_array("empty").end_array().commit();
  auto parsed = journal::parse_journal(out.lines()[0], "mem");
  ASSERT_EQ(parsed[0]["workers"].size(), 3u);
  EXPECT_EQ(parsed[0]["workers"][2]["id"], "w2");
  EXPECT_TRUE(parsed[0]["empty"].empty());
}

TEST(StrategyJournal, UnbalancedEntryIsRefusedAndUncommittedEntriesAreDropped) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  EXPECT_THROW(j.entry(Timestamp{}, "X", {}).begin_object("o").commit(), Error);
  { [[maybe_unused]] auto dropped = j.entry(Timestamp{}, "DROPPED", {}); }
  j.entry(Timestamp{}, "KEPT", {}).commit();
  ASSERT_EQ(out.lines().size(), 1u);
  EXPECT_NE(out.lines()[0].find("\"seq\":1,"), std::string::npos);
  EXPECT_NE(out.lines()[0].find("KEPT"), std::string::npos);
}

TEST(FileJournalPersistor, FlushesWholeLinesAndTheReaderSkipsATornTail) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_test.jsonl";
  {
    FileJournalPersistor out(path, SyncPolicy::kEveryEntry);
    StrategyJournal j(out);
    for (int i = 0; i < 5; ++i) j.entry(Timestamp::from_seconds(i), "TICK", {}).integer("i", i).commit();
  }
  // Simulate a crash in the middle of a write.
  std::ofstream(path, std::ios::app) << "{\"seq\":6,\"timest";
  const auto entries = journal::read_journal(path);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[4]["i"], 4);
  // A malformed line in the middle is an error with file:line.
  std::ofstream(path, std::ios::app) << "\n{\"seq\":7}\n";
  try {
    journal::read_journal(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":6:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(FileJournalPersistor("/nonexistent-dir/x.jsonl", SyncPolicy::kBatched), Error);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The file persistor lets the journal build each line in its own buffer: the file holds the same
// bytes as lines handed over one by one, across many buffer fills, in both sync policies; an entry
// left unfinished (an exception while it was built) is never written, not even by a flush that
// comes while it is open, and the next entry takes its place.
TEST(FileJournalPersistor, LinesBuiltInPlaceAreTheLinesAppended) {
  for (const SyncPolicy policy : {SyncPolicy::kBatched, SyncPolicy::kEveryEntry}) {
    const std::string path = std::string(ST_BINARY_DIR) + "/journal_in_place.jsonl";
    MemoryJournalPersistor lines;
    const int n = policy == SyncPolicy::kBatched ? 30000 : 300;  // ~6 MB: several 1 MB writes
    {
      FileJournalPersistor file(path, policy);
      StrategyJournal in_place(file), by_line(lines);
      ASSERT_NE(file.line_in_place(), nullptr);
      Xoshiro256 rng(11);
      for (int i = 0; i < n; ++i) {
        const std::string reason(static_cast<std::size_t>(rng.uniform() * 300), 'r');
        const double x = rng.uniform();
        for (StrategyJournal* j : {&in_place, &by_line})
          j->entry(Timestamp::from_seconds(i), "TICK", {}).integer("i", i).str("reason", reason).num("x", x).commit();
        if (i % 997 == 0) {
          // Abandoned halfway (only in the file's journal: the memory one never sees it), then a
          // flush while it is open.
          auto w = in_place.entry(Timestamp::from_seconds(i), "UNFINISHED", {});
          w.str("reason", std::string(5000, 'u'));
          file.flush();
        }
      }
    }
    std::string want;
    for (const auto& l : lines.lines()) want += l;
    const std::string got = slurp(path);
    EXPECT_EQ(got.size(), want.size()) << "policy " << static_cast<int>(policy);
    EXPECT_TRUE(got == want) << "policy " << static_cast<int>(policy);
    EXPECT_EQ(got.find("UNFINISHED"), std::string::npos);
    std::filesystem::remove(path);
  }
}

// The page-cache path of a new batched journal (where direct appends are not possible, and what
// kAppend and kResume use).
JournalFileOptions through_page_cache() {
  JournalFileOptions o;
  o.direct = false;
  return o;
}

// writes() counts the writes of buffered lines to the file (the benchmark's --bar-profile tells the
// bars that made one): none until 1 MiB of lines is buffered (kBatched), one per line
// (kEveryEntry), one per flush that has lines to write, none for a flush without.
TEST(FileJournalPersistor, CountsItsWritesToTheFile) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_writes.jsonl";
  {
    FileJournalPersistor file(path, SyncPolicy::kBatched, JournalOpen::kCreate, through_page_cache());
    StrategyJournal j(file);
    const std::string reason(1000, 'r');
    int i = 0;
    for (; file.writes() == 0 && i < 5000; ++i)  // ~6 MB at most
      j.entry(Timestamp::from_seconds(i), "TICK", {}).str("reason", reason).commit();
    ASSERT_EQ(file.writes(), 1u);
    // The first write came with the line that made 1 MiB buffered, not before.
    const auto size = std::filesystem::file_size(path);
    EXPECT_GE(size, 1u << 20);
    EXPECT_LT(size, (1u << 20) + 1300) << i << " lines";
    file.flush();
    EXPECT_EQ(file.writes(), 1u);  // nothing buffered: nothing written
    j.entry(Timestamp::from_seconds(i), "TICK", {}).commit();
    file.flush();
    EXPECT_EQ(file.writes(), 2u);
  }
  {
    FileJournalPersistor file(path, SyncPolicy::kEveryEntry);
    StrategyJournal j(file);
    for (int i = 0; i < 3; ++i) j.entry(Timestamp::from_seconds(i), "TICK", {}).commit();
    EXPECT_EQ(file.writes(), 3u);
  }
  std::filesystem::remove(path);
}

// Disk space is reserved ahead of the journal's end (fallocate, the file's size unchanged) and
// released when it closes; an appended journal starts its reserve at its old end.
TEST(FileJournalPersistor, ReservesSpaceAheadWithoutChangingTheSizeAndReleasesIt) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_reserve.jsonl";
  const auto stat_of = [&] {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st;
  };
  const std::string line = "{\"x\":\"" + std::string(92, 'x') + "\"}\n";  // 100 bytes, an entry
  std::size_t written = 0;
  {
    FileJournalPersistor out(path, SyncPolicy::kBatched, JournalOpen::kCreate, through_page_cache());
    for (int i = 0; i < 30000; ++i) out.append(line), written += line.size();  // 3 MB: a few writes
    out.flush();
    const auto st = stat_of();
    EXPECT_EQ(static_cast<std::size_t>(st.st_size), written);  // no padding a crash could leave
    // Where the file system can reserve (a probe file says), the journal must have.
    const std::string probe = path + ".probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const bool can_reserve = fd >= 0 && ::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) == 0;
    if (fd >= 0) ::close(fd);
    std::filesystem::remove(probe);
    if (!can_reserve) GTEST_SKIP() << "this file system cannot reserve space (fallocate)";
    EXPECT_GE(static_cast<std::size_t>(st.st_blocks) * 512, written + (1u << 20)) << "no space reserved ahead";
  }
  auto st = stat_of();
  EXPECT_EQ(static_cast<std::size_t>(st.st_size), written);
  EXPECT_LT(static_cast<std::size_t>(st.st_blocks) * 512, written + 65536) << "the reserve was not released";
  {
    FileJournalPersistor out(path, SyncPolicy::kBatched, JournalOpen::kAppend);
    out.append(line);
    out.flush();
    EXPECT_EQ(static_cast<std::size_t>(stat_of().st_size), written + line.size());
  }
  st = stat_of();
  EXPECT_EQ(static_cast<std::size_t>(st.st_size), written + line.size());
  EXPECT_LT(static_cast<std::size_t>(st.st_blocks) * 512, written + 65536);
  EXPECT_EQ(slurp(path).substr(written), line);
  std::filesystem::remove(path);
}

// Beyond keep_cached, a batched journal is written back as it grows and its pages leave the page
// cache release_lag behind its end (WriteBehind; that the pages do leave is tested with it, in
// backend/core): every line is in the file. kEveryEntry leaves it to its fsyncs.
TEST(FileJournalPersistor, WritesBehindALongBatchedJournal) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_write_behind.jsonl";
  JournalFileOptions wb = through_page_cache();
  wb.write_behind.keep_cached = 2 << 20;  // windows of 2 MB: a large folio is released whole
  wb.write_behind.window = 2 << 20;
  wb.write_behind.release_lag = 4 << 20;
  std::string expected;
  {
    FileJournalPersistor out(path, SyncPolicy::kBatched, JournalOpen::kCreate, wb);
    for (int i = 0; i < 160000; ++i) {  // 16 MB in lines of 100 bytes: sixteen buffer fills
      std::string line = fmt::format("{{\"seq\":{:6},\"x\":\"{}\"}}\n", i, std::string(79, 'a' + i % 26));
      expected += line;
      out.append(line);
    }
    out.flush();
    // Everything from the kept start up to release_lag and a window or two before the end.
    EXPECT_GE(out.released_bytes(), expected.size() - (2u << 20) - (4u << 20) - 2 * (2u << 20));
  }
  EXPECT_EQ(slurp(path), expected);
  {
    FileJournalPersistor out(path, SyncPolicy::kEveryEntry, JournalOpen::kCreate, wb);
    for (int i = 0; i < 200; ++i) out.append(std::string(4095, 'e') + "\n");
    EXPECT_EQ(out.released_bytes(), 0u);
  }
  std::filesystem::remove(path);
}


// A new batched journal goes to the disk in whole blocks without the page cache (DirectAppend):
// the file holds the lines appended, has their exact size after every flush (the space reserved
// ahead released), and only the ends written at the flushes are in the page cache.
TEST(FileJournalPersistor, DirectJournalHoldsTheLinesAndSkipsThePageCache) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_direct.jsonl";
  std::string expected;
  std::size_t flushes = 0;
  {
    FileJournalPersistor out(path, SyncPolicy::kBatched);
    if (!out.direct()) GTEST_SKIP() << "no direct writes on this machine: " << out.why_not_direct();
    Xoshiro256 rng(5);
    for (int i = 0; expected.size() < (6u << 20); ++i) {  // ~6 MB in lines of 20-3000 bytes
      const std::string line =
          fmt::format("{{\"seq\":{},\"x\":\"{}\"}}\n", i, std::string(static_cast<std::size_t>(rng.uniform() * 3000), 'a' + i % 26));
      expected += line;
      out.append(line);
      if (i % 1500 == 1499) {
        out.flush();
        ++flushes;
        EXPECT_EQ(std::filesystem::file_size(path), expected.size()) << "after flush " << flushes;
      }
    }
    EXPECT_GE(out.writes(), 5u);
    EXPECT_TRUE(out.direct()) << out.why_not_direct();
  }
  EXPECT_EQ(std::filesystem::file_size(path), expected.size());
  EXPECT_TRUE(slurp(path) == expected);
  // (slurp read the file in; what was cached before is measured on a fresh copy of the run.)
  {
    FileJournalPersistor out(path, SyncPolicy::kBatched);
    out.append(expected);
  }
  if (!testing_support::files_live_in_memory(ST_BINARY_DIR)) {
    EXPECT_LE(testing_support::resident_pages(path, 0, expected.size()), 4u) << "the journal went through the page cache";
  }
  EXPECT_TRUE(slurp(path) == expected);
  std::filesystem::remove(path);
}

// A crash between flushes leaves a direct journal with zeros after its lines (the space reserved
// ahead); repair cuts them off with the torn line before them and says so.
TEST(FileJournalPersistor, ACrashedDirectJournalIsRepairedToItsLastWholeLine) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_direct_crash.jsonl";
  std::string expected;
  for (int i = 0; expected.size() < (3u << 20) + 500000; ++i)
    expected += fmt::format("{{\"seq\":{},\"x\":\"{}\"}}\n", i, std::string(static_cast<std::size_t>(i % 700), 'c'));
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the run that crashes: killed without a flush
    FileJournalPersistor out(path, SyncPolicy::kBatched);
    if (!out.direct()) ::_exit(3);
    out.append(expected);
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) GTEST_SKIP() << "no direct writes on this machine";
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_GE(std::filesystem::file_size(path), static_cast<std::uintmax_t>(DirectAppend::kExtendBytes));
  const JournalRepair r = repair_journal_tail(path);
  EXPECT_NE(r.warning.find("torn last line"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("bytes of reserved space after it"), std::string::npos) << r.warning;
  const std::string text = slurp(path);
  ASSERT_GE(text.size(), 3u << 20);  // the three whole blocks written before the kill
  EXPECT_EQ(text.back(), '\n');
  EXPECT_TRUE(expected.compare(0, text.size(), text) == 0) << "not the journal's first lines";
  std::filesystem::remove(path);
}

TEST(JournalRepair, CutsATornLastLineAndLeavesAWholeJournalAlone) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_repair.jsonl";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{\"seq\":1}\n{\"seq\":2}\n";
  EXPECT_EQ(repair_journal_tail(path).bytes_removed, 0u);
  EXPECT_EQ(slurp(path), "{\"seq\":1}\n{\"seq\":2}\n");
  std::ofstream(path, std::ios::binary | std::ios::app) << "{\"seq\":3,\"times";
  const auto r = repair_journal_tail(path);
  EXPECT_EQ(r.bytes_removed, 15u);
  EXPECT_NE(r.warning.find("torn"), std::string::npos);
  EXPECT_EQ(slurp(path), "{\"seq\":1}\n{\"seq\":2}\n");
  // NUL bytes a crash can leave behind a file's last write, ending in a newline.
  std::ofstream(path, std::ios::binary | std::ios::app) << std::string(8, '\0') << "\n";
  EXPECT_EQ(repair_journal_tail(path).bytes_removed, 9u);
  EXPECT_EQ(slurp(path), "{\"seq\":1}\n{\"seq\":2}\n");
  // Zeros alone after the last line: space reserved ahead (a direct journal's), said as such.
  std::ofstream(path, std::ios::binary | std::ios::app) << std::string(5000, '\0');
  const auto zeros = repair_journal_tail(path);
  EXPECT_EQ(zeros.bytes_removed, 5000u);
  EXPECT_NE(zeros.warning.find("removed 5000 bytes of reserved space past the last entry"), std::string::npos) << zeros.warning;
  EXPECT_EQ(slurp(path), "{\"seq\":1}\n{\"seq\":2}\n");
  // A journal torn inside its first line is empty after repair.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{\"se";
  repair_journal_tail(path);
  EXPECT_EQ(slurp(path), "");
  EXPECT_EQ(repair_journal_tail(path + ".missing").bytes_removed, 0u);
}

TEST(JournalResume, VerifiesTheLinesOnDiskThenAppends) {
  const std::string path = std::string(ST_BINARY_DIR) + "/journal_resume.jsonl";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{\"seq\":1}\n{\"seq\":2}\n{\"seq\":3,\"x";
  {
    FileJournalPersistor p(path, SyncPolicy::kBatched, JournalOpen::kResume);
    EXPECT_GT(p.repair().bytes_removed, 0u);
    p.append("{\"seq\":1}\n");
    p.append("{\"seq\":2}\n");
    EXPECT_EQ(p.verified_lines(), 2u);
    EXPECT_TRUE(p.verifying());
    p.append("{\"seq\":3,\"x\":1}\n");
    EXPECT_FALSE(p.verifying());
    p.append("{\"seq\":4}\n");
    p.flush();
  }
  EXPECT_EQ(slurp(path), "{\"seq\":1}\n{\"seq\":2}\n{\"seq\":3,\"x\":1}\n{\"seq\":4}\n");
  FileJournalPersistor again(path, SyncPolicy::kBatched, JournalOpen::kResume);
  again.append("{\"seq\":1}\n");
  try {
    again.append("{\"seq\":2,\"changed\":true}\n");
    FAIL() << "a different entry was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("changed since"), std::string::npos) << e.what();
  }
}

nlohmann::ordered_json entry(int seq, const std::string& time, const std::string& type, const char* opp,
                             const char* trade, const char* threat = nullptr, const char* sched = nullptr) {
  nlohmann::ordered_json e;
  e["seq"] = seq;
  e["timestamp"] = time;
  e["event_type"] = type;
  e["opportunity_id"] = opp ? nlohmann::ordered_json(opp) : nlohmann::ordered_json();
  e["trade_id"] = trade ? nlohmann::ordered_json(trade) : nlohmann::ordered_json();
  e["threat_id"] = threat ? nlohmann::ordered_json(threat) : nlohmann::ordered_json();
  e["scheduled_id"] = sched ? nlohmann::ordered_json(sched) : nlohmann::ordered_json();
  return e;
}

TEST(JournalIntegrity, AcceptsACausalChainAndNamesEachBrokenLink) {
  std::vector<nlohmann::ordered_json> ok = {entry(1, "2024-01-01", "OPPORTUNITY_DETECTED", "o1", nullptr),
                                            entry(2, "2024-01-02", "TRADE_OPENED", "o1", "t1"),
                                            entry(3, "2024-01-03", "TRADE_CLOSED", "o1", "t1")};
  ok[2]["exit_reason"] = "exit_signal";
  EXPECT_TRUE(journal::check_integrity(ok).empty());

  auto bad = ok;
  bad[1]["opportunity_id"] = "o2";
  auto p = journal::check_integrity(bad);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("seq 2"), std::string::npos);

  bad = ok;
  bad[2]["trade_id"] = "t9";
  EXPECT_NE(journal::check_integrity(bad).at(0).find("never opened"), std::string::npos);

  bad = ok;
  bad[2]["seq"] = 5;
  EXPECT_NE(journal::check_integrity(bad).at(0).find("expected seq 3"), std::string::npos);

  bad = ok;
  bad[1]["timestamp"] = "2023-12-31";
  EXPECT_FALSE(journal::check_integrity(bad).empty());

  auto rejected = ok;
  rejected.push_back(entry(4, "2024-01-04", "OPPORTUNITY_REJECTED", "o1", nullptr, "th1"));
  rejected.back()["reason"] = "drawdown";
  EXPECT_NE(journal::check_integrity(rejected).at(0).find("threat th1"), std::string::npos);
}

}  // namespace
}  // namespace st
