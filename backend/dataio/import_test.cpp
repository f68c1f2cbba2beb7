#include "backend/dataio/import.h"
#include "backend/dataio/convert.h"
#include "backend/parquet/parquet_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "backend/core/time.h"
#include "backend/data/csv.h"

namespace st {
namespace {
namespace fs = std::filesystem;

const std::string kData = std::string(ST_SHARED_DIR) + "/data/";

std::vector<Bar> read_all(BarSource& source) {
  std::vector<Bar> bars;
  Bar b;
  while (source.next(b)) bars.push_back(b);
  return bars;
}

std::vector<Bar> import_all(const std::string& path, ImportOptions options, ImportReport* report = nullptr) {
  ImportSource source(path, options);
  auto bars = read_all(source);
  if (report != nullptr) *report = source.report();
  return bars;
}

void expect_same(const std::vector<Bar>& got, const std::vector<Bar>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].time, want[i].time) << what << " row " << i;
    ASSERT_EQ(got[i].open, want[i].open) << what << " row " << i;
    ASSERT_EQ(got[i].high, want[i].high) << what << " row " << i;
    ASSERT_EQ(got[i].low, want[i].low) << what << " row " << i;
    ASSERT_EQ(got[i].close, want[i].close) << what << " row " << i;
    ASSERT_EQ(got[i].volume, want[i].volume) << what << " row " << i;
  }
}

TEST(DataImport, DetectsTheDialectOfEachSharedFile) {
  EXPECT_EQ(detect_data_format(kData + "orcl-1995-2014.txt"), DataFormat::kYahoo);
  EXPECT_EQ(detect_data_format(kData + "2006-day-001.txt"), DataFormat::kBacktrader);
  EXPECT_EQ(detect_data_format(kData + "2006-01-02-volume-min-001.txt"), DataFormat::kBacktrader);
  EXPECT_EQ(detect_data_format(kData + "freqtrade_ETH_BTC-5m.json"), DataFormat::kFreqtradeJson);
  EXPECT_EQ(detect_data_format(kData + "orcl-1995-2014.csv"), DataFormat::kGeneric);
  EXPECT_EQ(detect_data_format(kData + "nautilus_ftx_btc-perp-20211231-20220201_1m.csv"), DataFormat::kGeneric);
}

// Each original file, imported, gives exactly the bars of its normalised CSV (../shared/data
// README: the normalised files were checked value by value against the originals).
TEST(DataImport, OriginalsGiveTheNormalisedBars) {
  struct Case {
    const char* original;
    const char* normalised;
    std::int64_t utc_offset;
  };
  const Case cases[] = {
      {"orcl-1995-2014.txt", "orcl-1995-2014.csv", 0},
      {"nvda-1999-2014.txt", "nvda-1999-2014.csv", 0},
      {"yhoo-1996-2015.txt", "yhoo-1996-2015.csv", 0},
      {"2005-2006-day-001.txt", "2005-2006-day-001.csv", 0},
      {"2006-volume-day-001.txt", "2006-volume-day-001.csv", 0},
      {"2006-min-005.txt", "2006-min-005.csv", 3600},                 // CET = UTC+1
      {"2006-01-02-volume-min-001.txt", "2006-01-02-volume-min-001.csv", 3600},  // the broken header
      {"freqtrade_UNITTEST_BTC-1m.json", "freqtrade_UNITTEST_BTC-1m.csv", 0},
      {"freqtrade_ETH_BTC-5m.json", "freqtrade_ETH_BTC-5m.csv", 0},
      {"freqtrade_XRP_USDT_USDT-5m-futures.json", "freqtrade_XRP_USDT_USDT-5m-futures.csv", 0},
  };
  for (const auto& c : cases) {
    ImportOptions o;
    o.utc_offset_seconds = c.utc_offset;
    ImportReport report;
    const auto got = import_all(kData + c.original, o, &report);
    EXPECT_EQ(report.bad_rows, 0) << c.original;
    expect_same(got, read_csv_all(kData + c.normalised), c.original);
  }
  ImportReport report;
  import_all(kData + "2006-01-02-volume-min-001.txt", {DataFormat::kAuto, false, 3600}, &report);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_NE(report.notes[0].find("one field more than the header"), std::string::npos) << report.notes[0];
}

TEST(DataImport, NaiveTimestampsWithFractionsAreUtc) {
  const auto bars = import_all(kData + "nautilus_ftx_btc-perp-20211231-20220201_1m.csv", {});
  ASSERT_EQ(bars.size(), 45031u);
  EXPECT_EQ(format_iso(bars.front().time), "2021-12-31T23:01:00Z");
  EXPECT_EQ(bars.front().open, 46319.0);
}

// Binance klines: no header, 12 fields, open_time in ms until 2024 and in us from 2025.
TEST(DataImport, BinanceKlinesWithTheEpochUnitChange) {
  const auto want = read_csv_all(kData + "BTCUSDT-1m-2024-01-01_2024-06-30.csv");
  const fs::path path = fs::path(ST_BINARY_DIR) / "binance_klines.csv";
  {
    std::ofstream out(path);
    for (std::size_t i = 0; i < 3000; ++i) {
      const auto& b = want[i];
      const std::int64_t t = i < 2000 ? b.time.ns / 1'000'000 : b.time.ns / 1'000;
      out << t << ',' << fmt::format("{}", b.open) << ',' << fmt::format("{}", b.high) << ','
          << fmt::format("{}", b.low) << ',' << fmt::format("{}", b.close) << ',' << fmt::format("{}", b.volume) << ','
          << t + 59999 << ",1.0,10,1.0,1.0,0\n";
    }
  }
  ImportReport report;
  const auto got = import_all(path.string(), {}, &report);
  EXPECT_EQ(report.format, DataFormat::kBinance);
  expect_same(got, std::vector<Bar>(want.begin(), want.begin() + 3000), "binance");
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("line 2001: epoch unit changes from ms to us"), std::string::npos) << report.notes[0];
}

TEST(DataImport, BadRowsAreListedWithTheirPositionOrSkippedOnRequest) {
  const fs::path path = fs::path(ST_BINARY_DIR) / "bad_rows.csv";
  std::ofstream(path) << "Date,Open,High,Low,Close,Volume\n"
                         "2024-01-01,10,11,9,10.5,100\n"
                         "2024-01-02,10,11,9,abc,100\n"       // line 3: close
                         "2024-01-03,10,9,9.5,10,100\n"       // line 4: high < low
                         "2024-01-03,10,11,9,10,100\n"        // ok
                         "2024-01-03,10,11,9,10,100\n"        // line 6: duplicate
                         "2024-01-02,10,11,9,10,100\n"        // line 7: out of order
                         "2024-01-05,10,11\n"                 // line 8: too few fields
                         "2024-01-06,10,11,9,10,100\n";
  try {
    import_all(path.string(), {DataFormat::kAuto, false, 0, 3});
    FAIL() << "bad rows were accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string() + ":3:20: close: expected a finite number, found \"abc\""), std::string::npos) << what;
    EXPECT_NE(what.find(":4:15: high: high 9 is below low 9.5"), std::string::npos) << what;
    EXPECT_NE(what.find(":6:1: timestamp: 2024-01-03T00:00:00Z duplicates"), std::string::npos) << what;
    EXPECT_NE(what.find("--skip-bad"), std::string::npos) << what;
  }
  ImportReport report;
  const auto bars = import_all(path.string(), {DataFormat::kAuto, true, 0, 50}, &report);
  EXPECT_EQ(bars.size(), 3u);
  EXPECT_EQ(report.bad_rows, 5);
  EXPECT_EQ(report.duplicates, 1);
  EXPECT_EQ(report.out_of_order, 1);
  ASSERT_EQ(report.errors.size(), 5u);
  EXPECT_EQ(report.errors[4].where.line, 8);
}

TEST(DataImport, MalformedJsonIsAnErrorWithItsPosition) {
  const fs::path path = fs::path(ST_BINARY_DIR) / "bad.json";
  std::ofstream(path) << "[[1515560100000, 1, 2, 0.5, 1.5, 10],\n [1515560400000, 1, 2}";
  try {
    import_all(path.string(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":2:22: expected ',' or ']' in a row"), std::string::npos)
        << e.what();
  }
  std::ofstream(path, std::ios::trunc) << "[[1515560100000, 1, 2, 0.5, 1.5, 10], [1515560400000, 1, 2, 0.5, 1.5]]";
  ImportReport report;
  EXPECT_EQ(import_all(path.string(), {DataFormat::kAuto, true}, &report).size(), 1u);
  EXPECT_EQ(report.bad_rows, 1);
  EXPECT_NE(report.errors.at(0).message.find("5 values in the row"), std::string::npos);
}

// Backtests open CSV and Parquet alike; our Parquet gives back the CSV's bars bit for bit.
TEST(OpenBars, ParquetWrittenFromCsvGivesTheSameBars) {
  const auto want = read_csv_all(kData + "BTCUSDT-1h-2017-08-17_2025-11-30.csv");
  const std::string path = std::string(ST_BINARY_DIR) + "/btc1h.parquet";
  VectorBarSource source(want);
  EXPECT_EQ(write_bars(path, source, "zstd", 10'000), static_cast<std::int64_t>(want.size()));
  auto bars = open_bars(path);
  expect_same(read_all(*bars), want, "parquet");
  auto csv = open_bars(kData + "BTCUSDT-1h-2017-08-17_2025-11-30.csv");
  expect_same(read_all(*csv), want, "csv");
  auto yahoo = open_bars(kData + "orcl-2014.txt");  // other dialects through the strict importer
  expect_same(read_all(*yahoo), read_csv_all(kData + "orcl-2014.csv"), "yahoo");
  EXPECT_THROW(write_bars(std::string(ST_BINARY_DIR) + "/x.txt", source), Error);
}

// A link's data: section names other columns and the unit of plain-number times.
TEST(OpenBars, ColumnNamesAndTimeUnitsFromTheLinkConfiguration) {
  const auto want = read_csv_all(kData + "orcl-2014.csv");
  BarFileOptions o;
  o.columns = {"Time (ms)", "Open Price", "High Price", "Low Price", "Close Price", "Qty"};
  o.time_unit = parquet::TimeUnit::kMillis;
  const std::string csv = std::string(ST_BINARY_DIR) + "/renamed.csv";
  {
    std::ofstream out(csv);
    out << "Qty,Close Price,Low Price,High Price,Open Price,Time (ms),Note\n";
    for (const auto& b : want)
      out << fmt::format("{},{},{},{},{},{},x\n", b.volume, b.close, b.low, b.high, b.open, b.time.ns / 1'000'000);
  }
  auto from_csv = open_bars(csv, o);
  expect_same(read_all(*from_csv), want, "renamed csv");
  // The same table as Parquet: INT64 epoch milliseconds without a logical type.
  const std::string pq = std::string(ST_BINARY_DIR) + "/renamed.parquet";
  {
    std::vector<parquet::ColumnSpec> specs(6);
    std::vector<parquet::ColumnData> cols(6);
    const char* names[6] = {"Time (ms)", "Open Price", "High Price", "Low Price", "Close Price", "Qty"};
    for (int i = 0; i < 6; ++i) {
      specs[i].name = names[i];
      specs[i].type = i == 0 ? parquet::PhysicalType::kInt64 : parquet::PhysicalType::kDouble;
      cols[i].type = specs[i].type;
    }
    for (const auto& b : want) {
      cols[0].i64.push_back(b.time.ns / 1'000'000);
      cols[1].f64.push_back(b.open);
      cols[2].f64.push_back(b.high);
      cols[3].f64.push_back(b.low);
      cols[4].f64.push_back(b.close);
      cols[5].f64.push_back(b.volume);
    }
    parquet::TableWriter w(pq, specs);
    w.write_row_group(cols);
    w.close();
  }
  auto from_parquet = open_bars(pq, o);
  expect_same(read_all(*from_parquet), want, "renamed parquet");
  BarFileOptions guess = o;
  guess.time_unit = parquet::TimeUnit::kAuto;  // a bare number's unit is never guessed in Parquet
  EXPECT_THROW(read_all(*open_bars(pq, guess)), Error);
  BarFileOptions wrong = o;
  wrong.columns[5] = "Volume";
  try {
    open_bars(csv, wrong);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no column \"Volume\""), std::string::npos) << e.what();
  }
}

// Damaged input of every dialect: bars or a precise error, never a crash or a hang.
TEST(DataImport, RandomDamageIsAnErrorOrSkippedNeverACrash) {
  const std::vector<std::string> originals = {"orcl-2014.txt", "2006-min-005.txt", "freqtrade_ETH_BTC-5m.json",
                                              "nautilus_ftx_btc-perp-20211231-20220201_1m.csv"};
  std::uint64_t state = 12345;
  auto next = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  const std::string junk = ",\n\"[]{}-+.eE0123456789:TZ \r\t\x00\xff";
  int errors = 0, read = 0;
  for (const auto& name : originals) {
    std::ifstream in(kData + name, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.resize(std::min<std::size_t>(text.size(), 20000));
    for (int m = 0; m < 150; ++m) {
      std::string damaged = text;
      const int edits = 1 + static_cast<int>(next() % 8);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = next() % damaged.size();
        switch (next() % 4) {
          case 0: damaged[at] = junk[next() % junk.size()]; break;
          case 1: damaged.erase(at, 1 + next() % 40); break;
          case 2: damaged.insert(at, std::string(1 + next() % 5, junk[next() % junk.size()])); break;
          default: damaged.resize(at); break;
        }
        if (damaged.empty()) damaged = "x";
      }
      const std::string path = std::string(ST_BINARY_DIR) + "/damaged-" + name;
      std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
      for (const bool skip : {false, true}) {
        try {
          ImportOptions o;
          o.skip_bad = skip;
          ImportSource source(path, o);
          Bar b;
          while (source.next(b)) {
          }
          ++read;
        } catch (const Error& e) {
          ++errors;
          EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << "an error that does not name the file: " << e.what();
        }
      }
    }
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(read, 0);
}

// The counts ../shared/data/README.md gives for these files.
TEST(DataStats, GapsAndTimeframeOfRealFiles) {
  auto stats_of = [](const std::string& file) {
    DataStats s;
    for (const auto& b : read_csv_all(kData + file)) s.add(b);
    return s;
  };
  const auto h1 = stats_of("BTCUSDT-1h-2017-08-17_2025-11-30.csv");
  EXPECT_EQ(h1.rows(), 72540);
  EXPECT_EQ(h1.timeframe_ns(), kNsPerHour);
  EXPECT_EQ(h1.gaps(), 28);
  EXPECT_EQ(h1.missing_bars(), 128);
  EXPECT_EQ(h1.largest_gap_ns(), 34 * kNsPerHour);  // "the longest 34 h"
  EXPECT_EQ(h1.zero_volume(), 4);
  const auto ft = stats_of("freqtrade_UNITTEST_BTC-1m.csv");
  EXPECT_EQ(ft.gaps(), 538);
  EXPECT_EQ(ft.missing_bars(), 717);
  EXPECT_EQ(ft.flat_bars(), 1935);
  const auto fesx = stats_of("2006-01-02-volume-min-001.csv");
  EXPECT_EQ(fesx.flat_bars(), 5736);
  EXPECT_EQ(fesx.gaps(), 765);
  EXPECT_NE(h1.to_text().find("timeframe   1h"), std::string::npos) << h1.to_text();
}

}  // namespace
}  // namespace st
