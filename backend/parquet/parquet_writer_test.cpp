#include "backend/parquet/parquet_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"
#include "backend/data/csv.h"
#include "backend/parquet/encodings.h"
#include "backend/parquet/test_support.h"
#include "backend/parquet/parquet_reader.h"

namespace st::parquet {
namespace {
namespace fs = std::filesystem;

using testing::case_path;
using testing::expect_identical;
using testing::same_bits;

std::vector<Bar> make_bars(std::size_t n, std::uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> step(-0.02, 0.02);
  std::vector<Bar> bars;
  double price = 100;
  Timestamp t = Timestamp::from_seconds(1'700'000'000);
  for (std::size_t i = 0; i < n; ++i) {
    Bar b;
    b.time = t;
    b.open = price;
    b.close = price * (1 + step(rng));
    b.high = std::max(b.open, b.close) * (1 + std::abs(step(rng)));
    b.low = std::min(b.open, b.close) * (1 - std::abs(step(rng)));
    b.volume = std::floor(std::abs(step(rng)) * 1e6) / 7;
    bars.push_back(b);
    price = b.close;
    t.ns += kNsPerMinute + static_cast<std::int64_t>(rng() % 1000);  // odd nanoseconds survive
  }
  return bars;
}

// Walks the pages of every column chunk and checks the footer's sizes and offsets against them.
void expect_consistent_footer(const FileReader& reader) {
  const auto& meta = reader.metadata();
  std::ifstream in(reader.path(), std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::int64_t previous_end = 4;
  for (const auto& group : meta.row_groups) {
    std::int64_t group_uncompressed = 0, group_compressed = 0;
    ASSERT_TRUE(group.file_offset);
    EXPECT_EQ(*group.file_offset, group.columns[0].meta_data->dictionary_page_offset.value_or(
                                      group.columns[0].meta_data->data_page_offset));
    for (const auto& chunk : group.columns) {
      const auto& md = *chunk.meta_data;
      const std::int64_t start = md.dictionary_page_offset.value_or(md.data_page_offset);
      EXPECT_EQ(start, previous_end) << "column chunks follow each other";
      std::int64_t pos = start, uncompressed = 0, values = 0;
      bool first_data = true;
      while (pos < start + md.total_compressed_size) {
        std::size_t header_size = 0;
        const ByteSpan rest(reinterpret_cast<const std::uint8_t*>(file.data()) + pos,
                            file.size() - static_cast<std::size_t>(pos));
        const auto h = thrift::decode_page_header(rest, header_size);
        if (h.type == PageType::kDataPage) {
          if (first_data) {
            EXPECT_EQ(md.data_page_offset, pos);
          }
          first_data = false;
          values += h.data_page_header->num_values;
        } else {
          EXPECT_EQ(h.type, PageType::kDictionaryPage);
          EXPECT_EQ(md.dictionary_page_offset, pos);
        }
        uncompressed += static_cast<std::int64_t>(header_size) + h.uncompressed_page_size;
        pos += static_cast<std::int64_t>(header_size) + h.compressed_page_size;
      }
      EXPECT_EQ(pos, start + md.total_compressed_size);
      EXPECT_EQ(uncompressed, md.total_uncompressed_size);
      EXPECT_EQ(values, md.num_values);
      EXPECT_EQ(md.num_values, group.num_rows);
      group_uncompressed += md.total_uncompressed_size;
      group_compressed += md.total_compressed_size;
      previous_end = pos;
    }
    EXPECT_EQ(group.total_byte_size, group_uncompressed);
    EXPECT_EQ(group.total_compressed_size, group_compressed);
  }
}

// Encodings of the value columns: PLAIN, dictionary, BYTE_STREAM_SPLIT (FLOAT/DOUBLE only), and
// BYTE_STREAM_SPLIT with DELTA_BINARY_PACKED integers (`data import --encoding byte_stream_split`).
constexpr int kPlain = 0, kDictionary = 1, kSplit = 2, kSplitDelta = 3;
bool splits(int encoding) { return encoding == kSplit || encoding == kSplitDelta; }

TEST(ParquetWriter, BarsRoundTripBitForBitWithEveryCodecAndEncoding) {
  const auto bars = make_bars(2500);
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    for (int encoding : {kPlain, kDictionary, kSplit, kSplitDelta}) {
      const bool dictionary = encoding == kDictionary;
      WriterOptions options;
      options.codec = codec;
      options.dictionary = dictionary;
      options.byte_stream_split = splits(encoding);
      options.delta_integers = encoding == kSplitDelta;
      options.row_group_rows = 1000;  // 3 row groups, the last one short
      options.page_rows = 300;        // several pages per column chunk
      const std::string path = case_path(fmt::format("bars-{}-{}.parquet", to_string(codec), encoding));
      VectorBarSource source(bars);
      write_parquet_bars(path, source, options);
      SCOPED_TRACE(path);
      expect_identical(read_parquet_bars(path), bars);

      const FileReader reader(path);
      EXPECT_EQ(reader.num_rows(), 2500);
      EXPECT_EQ(reader.num_row_groups(), 3);
      EXPECT_EQ(reader.metadata().created_by, "s1mpletrader version 0.1.0");
      ASSERT_EQ(reader.columns().size(), 6u);
      EXPECT_EQ(reader.columns()[0].logical, Logical::kTimestampNanos);
      EXPECT_TRUE(reader.columns()[0].utc);
      EXPECT_FALSE(reader.columns()[0].optional);
      expect_consistent_footer(reader);
      const auto& md = *reader.metadata().row_groups[0].columns[1].meta_data;
      EXPECT_EQ(md.codec, codec);
      EXPECT_EQ(md.dictionary_page_offset.has_value(), dictionary);
      EXPECT_EQ(std::count(md.encodings.begin(), md.encodings.end(), Encoding::kRleDictionary),
                dictionary ? 1 : 0);
      EXPECT_EQ(std::count(md.encodings.begin(), md.encodings.end(), Encoding::kByteStreamSplit),
                splits(encoding) ? 1 : 0);
      const auto& time_md = *reader.metadata().row_groups[0].columns[0].meta_data;  // INT64: never split
      EXPECT_EQ(std::count(time_md.encodings.begin(), time_md.encodings.end(), Encoding::kByteStreamSplit), 0);
      EXPECT_EQ(std::count(time_md.encodings.begin(), time_md.encodings.end(), Encoding::kDeltaBinaryPacked),
                encoding == kSplitDelta ? 1 : 0);
      // Statistics of the first row group's open column.
      double lo = bars[0].open, hi = bars[0].open;
      for (std::size_t i = 0; i < 1000; ++i) lo = std::min(lo, bars[i].open), hi = std::max(hi, bars[i].open);
      ASSERT_TRUE(md.statistics && md.statistics->min_value && md.statistics->max_value);
      double smin, smax;
      std::memcpy(&smin, md.statistics->min_value->data(), 8);
      std::memcpy(&smax, md.statistics->max_value->data(), 8);
      EXPECT_EQ(smin, lo);
      EXPECT_EQ(smax, hi);
      EXPECT_EQ(md.statistics->null_count, 0);
      EXPECT_EQ(reader.metadata().column_orders, std::vector<std::int16_t>(6, 1));
    }
  }
}

TEST(ParquetWriter, DictionaryShrinksRepetitiveColumns) {
  std::vector<Bar> bars = make_bars(5000);
  for (auto& b : bars) b.volume = 100;  // one distinct value
  WriterOptions plain, dict;
  plain.codec = dict.codec = Codec::kUncompressed;
  dict.dictionary = true;
  VectorBarSource a(bars), b(bars);
  write_parquet_bars(case_path("plain.parquet"), a, plain);
  write_parquet_bars(case_path("dict.parquet"), b, dict);
  const auto size_of = [](const std::string& p) {
    const FileReader r(p);
    return r.metadata().row_groups[0].columns[5].meta_data->total_compressed_size;
  };
  EXPECT_LT(size_of(case_path("dict.parquet")) * 50, size_of(case_path("plain.parquet")));
  expect_identical(read_parquet_bars(case_path("dict.parquet")), bars);
}

TEST(ParquetWriter, TimeUnitsAreConvertedAndInexactTimesRefused) {
  const auto bars = make_bars(10);
  WriterOptions options;
  options.bar_time_unit = TimeUnit::kMicros;
  VectorBarSource source(bars);
  try {
    write_parquet_bars(case_path("micros-bad.parquet"), source, options);
    FAIL() << "sub-microsecond times were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is not a whole microsecond"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(case_path("micros-bad.parquet")));
  EXPECT_FALSE(fs::exists(case_path("micros-bad.parquet.tmp")));
  std::vector<Bar> whole = bars;
  for (auto& b : whole) b.time.ns -= b.time.ns % 1000;
  VectorBarSource whole_source(whole);
  write_parquet_bars(case_path("micros.parquet"), whole_source, options);
  const FileReader reader(case_path("micros.parquet"));
  EXPECT_EQ(reader.columns()[0].logical, Logical::kTimestampMicros);
  // The legacy annotation is written beside the logical type.
  EXPECT_EQ(reader.metadata().schema[1].converted_type, ConvertedType::kTimestampMicros);
  expect_identical(read_parquet_bars(case_path("micros.parquet")), whole);
}

TEST(ParquetWriter, TablesWithOptionalColumnsAndEveryTypeRoundTrip) {
  std::vector<ColumnSpec> specs(7);
  specs[0] = {"flag", PhysicalType::kBoolean, true};
  specs[1] = {"count", PhysicalType::kInt32, true};
  specs[2] = {"big", PhysicalType::kInt64, false};
  specs[3] = {"ratio", PhysicalType::kFloat, true};
  specs[4] = {"price", PhysicalType::kDouble, true};
  specs[5] = {"symbol", PhysicalType::kByteArray, true, Logical::kString};
  specs[6] = {"day", PhysicalType::kInt32, false, Logical::kDate};
  const std::size_t n = 3000;
  std::vector<ColumnData> data(7);
  for (std::size_t c = 0; c < 7; ++c) data[c].type = specs[c].type;
  std::mt19937_64 rng(3);
  const char* symbols[] = {"AAPL", "MSFT", "", "ORCL", "\xc3\xa9t\xc3\xa9"};
  for (std::size_t i = 0; i < n; ++i) {
    const bool null = i % 7 == 3 || (i >= 1000 && i < 1400);  // scattered nulls and a whole null page
    data[0].boolean.push_back(null ? 0 : rng() % 2);
    data[1].i32.push_back(null ? 0 : static_cast<std::int32_t>(rng()));
    data[2].i64.push_back(static_cast<std::int64_t>(rng()));
    data[3].f32.push_back(null ? 0.0f : static_cast<float>(rng() % 1000) / 7.0f);
    data[4].f64.push_back(null ? 0.0 : static_cast<double>(rng() % 100000) / 3.0);
    data[5].str.push_back(null ? "" : symbols[rng() % 5]);
    data[6].i32.push_back(static_cast<std::int32_t>(19000 + i));
    for (std::size_t c : {0u, 1u, 3u, 4u, 5u}) data[c].valid.push_back(null ? 0 : 1);
  }
  data[4].f64[5] = std::numeric_limits<double>::quiet_NaN();
  data[4].f64[6] = -0.0;
  for (Codec codec : {Codec::kUncompressed, Codec::kZstd}) {
    for (int encoding : {kPlain, kDictionary, kSplit, kSplitDelta}) {
      WriterOptions options;
      options.codec = codec;
      options.dictionary = encoding == kDictionary;
      options.byte_stream_split = splits(encoding);
      options.delta_integers = encoding == kSplitDelta;
      options.row_group_rows = 1200;
      options.page_rows = 200;
      const std::string path = case_path(fmt::format("table-{}-{}.parquet", to_string(codec), encoding));
      TableWriter writer(path, specs, options);
      writer.write_row_group(data);
      writer.close();
      EXPECT_EQ(writer.rows_written(), static_cast<std::int64_t>(n));
      const FileReader reader(path);
      SCOPED_TRACE(path);
      ASSERT_EQ(reader.num_row_groups(), 3);
      EXPECT_EQ(reader.columns()[5].logical, Logical::kString);
      EXPECT_EQ(reader.columns()[6].logical, Logical::kDate);
      EXPECT_TRUE(reader.columns()[5].optional);
      EXPECT_FALSE(reader.columns()[6].optional);
      expect_consistent_footer(reader);
      for (int c = 0; c < 7; ++c) {  // the float and double columns, nulls and all, split when asked
        const auto& e = reader.metadata().row_groups[1].columns[static_cast<std::size_t>(c)].meta_data->encodings;
        EXPECT_EQ(std::count(e.begin(), e.end(), Encoding::kByteStreamSplit),
                  splits(encoding) && (c == 3 || c == 4) ? 1 : 0)
            << "column " << c;
        // ... and the integer columns (random 64-bit values too: deltas that wrap) as deltas.
        EXPECT_EQ(std::count(e.begin(), e.end(), Encoding::kDeltaBinaryPacked),
                  encoding == kSplitDelta && (c == 1 || c == 2 || c == 6) ? 1 : 0)
            << "column " << c;
      }
      std::size_t row = 0;
      for (int g = 0; g < reader.num_row_groups(); ++g) {
        std::vector<ColumnData> got;
        for (int c = 0; c < 7; ++c) got.push_back(reader.read_column(g, c));
        for (std::size_t i = 0; i < got[0].size(); ++i, ++row) {
          ASSERT_EQ(got[0].boolean[i], data[0].boolean[row]);
          ASSERT_EQ(got[1].i32[i], data[1].i32[row]);
          ASSERT_EQ(got[2].i64[i], data[2].i64[row]);
          ASSERT_EQ(got[3].f32[i], data[3].f32[row]);
          ASSERT_TRUE(same_bits(got[4].f64[i], data[4].f64[row])) << row;
          ASSERT_EQ(got[5].str[i], data[5].str[row]);
          ASSERT_EQ(got[6].i32[i], data[6].i32[row]);
          for (std::size_t c : {0u, 1u, 3u, 4u, 5u}) ASSERT_EQ(got[c].valid[i], data[c].valid[row]) << row;
          ASSERT_TRUE(got[2].valid.empty());
        }
      }
      EXPECT_EQ(row, n);
      // Null counts in the statistics; NaN is left out of min/max.
      const auto& stats = *reader.metadata().row_groups[0].columns[4].meta_data->statistics;
      std::int64_t nulls = 0;
      for (std::size_t i = 0; i < 1200; ++i) nulls += data[4].valid[i] ? 0 : 1;
      EXPECT_EQ(stats.null_count, nulls);
      double lo;
      std::memcpy(&lo, stats.min_value->data(), 8);
      EXPECT_FALSE(std::isnan(lo));
      EXPECT_TRUE(std::signbit(lo) || lo != 0);  // a zero minimum is written as -0.0
      const auto& sstats = *reader.metadata().row_groups[0].columns[5].meta_data->statistics;
      EXPECT_EQ(sstats.min_value, "");
      EXPECT_EQ(sstats.max_value, "\xc3\xa9t\xc3\xa9");
    }
  }
}

TEST(ParquetWriter, RefusesDataThatDoesNotMatchTheColumns) {
  std::vector<ColumnSpec> specs = {{"a", PhysicalType::kInt64}, {"b", PhysicalType::kDouble, true}};
  TableWriter writer(case_path("refuse.parquet"), specs);
  std::vector<ColumnData> data(2);
  data[0].type = PhysicalType::kInt64;
  data[0].i64 = {1, 2};
  data[1].type = PhysicalType::kDouble;
  data[1].f64 = {1.0};
  EXPECT_THROW(writer.write_row_group(data), Error);  // 1 row vs 2
  data[1].f64 = {1.0, 2.0};
  data[0].valid = {1, 0};
  EXPECT_THROW(writer.write_row_group(data), Error);  // null in a required column
  data[0].valid.clear();
  data[1].type = PhysicalType::kFloat;
  EXPECT_THROW(writer.write_row_group(data), Error);  // wrong type
  data[1].type = PhysicalType::kDouble;
  writer.write_row_group(data);
  writer.close();
  EXPECT_EQ(FileReader(case_path("refuse.parquet")).num_rows(), 2);

  EXPECT_THROW(TableWriter(case_path("x.parquet"), {{"a", PhysicalType::kInt96}}), Error);
  EXPECT_THROW(
      TableWriter(case_path("x.parquet"), {{"a", PhysicalType::kInt64}, {"a", PhysicalType::kInt64}}), Error);
  EXPECT_THROW(TableWriter(case_path("x.parquet"), {{"a", PhysicalType::kInt32, false, Logical::kString}}),
               Error);
  WriterOptions lz4;
  lz4.codec = Codec::kLz4Raw;
  EXPECT_THROW(TableWriter(case_path("x.parquet"), {{"a", PhysicalType::kInt32}}, lz4), Error);
}

TEST(ParquetWriter, AnUnclosedWriterLeavesNoFile) {
  const std::string path = case_path("unclosed.parquet");
  fs::remove(path);
  {
    TableWriter writer(path, {{"a", PhysicalType::kInt64}});
    EXPECT_TRUE(fs::exists(path + ".tmp"));
    EXPECT_FALSE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_FALSE(fs::exists(path));
}

TEST(ParquetWriter, EmptyTablesAreValidFiles) {
  std::vector<Bar> none;
  VectorBarSource source(none);
  write_parquet_bars(case_path("empty.parquet"), source);
  const FileReader reader(case_path("empty.parquet"));
  EXPECT_EQ(reader.num_rows(), 0);
  EXPECT_EQ(reader.num_row_groups(), 0);
  EXPECT_TRUE(read_parquet_bars(case_path("empty.parquet")).empty());
}

TEST(ParquetWriter, RealOrclDataRoundTrips) {
  const auto bars = read_csv_all(std::string(ST_SHARED_DIR) + "/data/orcl-1995-2014.csv");
  ASSERT_EQ(bars.size(), 5036u);
  for (bool dictionary : {false, true}) {
    WriterOptions options;
    options.dictionary = dictionary;
    options.row_group_rows = 2000;
    const std::string path = case_path(fmt::format("orcl-{}.parquet", dictionary));
    VectorBarSource source(bars);
    write_parquet_bars(path, source, options);
    expect_identical(read_parquet_bars(path), bars);
    const FileReader reader(path);
    EXPECT_EQ(reader.num_row_groups(), 3);
    expect_consistent_footer(reader);
    // Much smaller than the CSV.
    EXPECT_LT(fs::file_size(path),
              fs::file_size(std::string(ST_SHARED_DIR) + "/data/orcl-1995-2014.csv") / 2);
  }
}

}  // namespace
}  // namespace st::parquet
