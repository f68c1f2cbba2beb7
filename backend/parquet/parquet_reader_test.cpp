#include "backend/parquet/parquet_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"
#include "backend/parquet/encodings.h"
#include "backend/parquet/test_support.h"
#include "backend/parquet/parquet_writer.h"

namespace st::parquet {
namespace {
namespace fs = std::filesystem;

using testing::case_path;
using testing::expect_identical;

void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

// LZ4 raw block of literals only: valid LZ4, lets tests write LZ4_RAW pages.
Bytes lz4_literals(ByteSpan in) {
  Bytes out;
  const std::size_t n = in.size();
  out.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(n, 15) << 4));
  if (n >= 15) {
    std::size_t rest = n - 15;
    while (rest >= 255) out.push_back(255), rest -= 255;
    out.push_back(static_cast<std::uint8_t>(rest));
  }
  out.insert(out.end(), in.begin(), in.end());
  return out;
}

Bytes def_levels_v1(const std::vector<std::uint32_t>& levels) {
  const Bytes rle = encode_rle(levels, 1);
  Bytes out;
  put_u32_le(out, static_cast<std::uint32_t>(rle.size()));
  out.insert(out.end(), rle.begin(), rle.end());
  return out;
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

template <class T>
Bytes plain(const std::vector<T>& v) {
  Bytes b;
  encode_plain<T>(b, v);
  return b;
}

Bytes plain_strings(const std::vector<std::string>& v) {
  Bytes b;
  encode_plain_bytes(b, v);
  return b;
}

// Builds Parquet files page by page, for the encodings and page kinds our writer does not produce
// and for files with chosen defects.
class FileBuilder {
 public:
  explicit FileBuilder(std::vector<ColumnInfo> columns) : columns_(std::move(columns)) {
    bytes_ = {'P', 'A', 'R', '1'};
    thrift::SchemaElement root;
    root.name = "schema";
    root.num_children = static_cast<std::int32_t>(columns_.size());
    meta_.schema.push_back(root);
    for (const auto& c : columns_) {
      thrift::SchemaElement e;
      e.name = c.name;
      e.type = c.type;
      e.repetition_type = c.optional ? Repetition::kOptional : Repetition::kRequired;
      if (c.type == PhysicalType::kFixedLenByteArray) e.type_length = c.type_length;
      thrift::LogicalType lt;
      if (c.logical == Logical::kString) {
        lt.kind = thrift::LogicalType::Kind::kString;
        e.logical_type = lt;
      } else if (c.logical == Logical::kTimestampMillis || c.logical == Logical::kTimestampMicros ||
                 c.logical == Logical::kTimestampNanos) {
        lt.kind = thrift::LogicalType::Kind::kTimestamp;
        lt.adjusted_to_utc = c.utc;
        lt.unit = c.logical == Logical::kTimestampMillis   ? thrift::TimeUnit::kMillis
                  : c.logical == Logical::kTimestampMicros ? thrift::TimeUnit::kMicros
                                                           : thrift::TimeUnit::kNanos;
        e.logical_type = lt;
      }
      meta_.schema.push_back(e);
    }
  }

  void row_group(std::int64_t rows) {
    meta_.row_groups.emplace_back();
    meta_.row_groups.back().num_rows = rows;
    meta_.num_rows += rows;
  }

  void column(Codec codec = Codec::kUncompressed) {
    auto& group = meta_.row_groups.back();
    const auto& c = columns_[group.columns.size()];
    thrift::ColumnChunk chunk;
    thrift::ColumnMetaData md;
    md.type = c.type;
    md.path_in_schema = {c.name};
    md.codec = codec;
    md.data_page_offset = -1;
    chunk.meta_data = md;
    group.columns.push_back(chunk);
  }

  void dictionary_page(const Bytes& plain_values, std::int32_t count, Encoding encoding = Encoding::kPlain) {
    thrift::PageHeader h;
    h.type = PageType::kDictionaryPage;
    h.dictionary_page_header = thrift::DictionaryPageHeader{count, encoding, std::nullopt};
    md().dictionary_page_offset = static_cast<std::int64_t>(bytes_.size());
    add_page(h, plain_values);
  }

  void data_page(std::int32_t num_values, Encoding encoding, const Bytes& body,
                 Encoding level_encoding = Encoding::kRle,
                 std::optional<thrift::Statistics> statistics = std::nullopt) {
    thrift::PageHeader h;
    h.type = PageType::kDataPage;
    h.data_page_header =
        thrift::DataPageHeader{num_values, encoding, level_encoding, Encoding::kRle, std::move(statistics)};
    start_data(num_values);
    add_page(h, body);
  }

  void data_page_v2(std::int32_t num_values, std::int32_t num_nulls, Encoding encoding,
                    const Bytes& def_levels, const Bytes& values, bool compressed = true) {
    thrift::PageHeader h;
    h.type = PageType::kDataPageV2;
    h.data_page_header_v2 = thrift::DataPageHeaderV2{
        num_values, num_nulls,  num_values,  encoding, static_cast<std::int32_t>(def_levels.size()),
        0,          compressed, std::nullopt};
    start_data(num_values);
    const Bytes stored = compressed ? pack(values) : values;
    h.uncompressed_page_size = static_cast<std::int32_t>(def_levels.size() + values.size());
    h.compressed_page_size = static_cast<std::int32_t>(def_levels.size() + stored.size());
    append(h, def_levels + stored);
  }

  // An index page (skipped by readers).
  void index_page() {
    thrift::PageHeader h;
    h.type = PageType::kIndexPage;
    add_page(h, Bytes{1, 2, 3});
  }

  thrift::FileMetaData& meta() { return meta_; }

  Bytes finish() const {
    Bytes out = bytes_;
    const Bytes footer = thrift::encode_file_metadata(meta_);
    out.insert(out.end(), footer.begin(), footer.end());
    put_u32_le(out, static_cast<std::uint32_t>(footer.size()));
    out.insert(out.end(), {'P', 'A', 'R', '1'});
    return out;
  }

  std::string write(const std::string& name) const {
    const std::string path = case_path(name);
    write_bytes(path, finish());
    return path;
  }

 private:
  thrift::ColumnMetaData& md() { return *meta_.row_groups.back().columns.back().meta_data; }

  Bytes pack(const Bytes& body) {
    if (md().codec == Codec::kLz4Raw) return lz4_literals(body);
    return compress(md().codec, body, 0);
  }

  void start_data(std::int32_t num_values) {
    if (md().data_page_offset < 0) md().data_page_offset = static_cast<std::int64_t>(bytes_.size());
    md().num_values += num_values;
  }

  void add_page(thrift::PageHeader h, const Bytes& body) {
    const Bytes stored = pack(body);
    h.uncompressed_page_size = static_cast<std::int32_t>(body.size());
    h.compressed_page_size = static_cast<std::int32_t>(stored.size());
    append(h, stored);
  }

  void append(const thrift::PageHeader& h, const Bytes& stored) {
    const Bytes head = thrift::encode_page_header(h);
    bytes_.insert(bytes_.end(), head.begin(), head.end());
    bytes_.insert(bytes_.end(), stored.begin(), stored.end());
    md().total_compressed_size += static_cast<std::int64_t>(head.size() + stored.size());
    md().total_uncompressed_size += static_cast<std::int64_t>(head.size()) + h.uncompressed_page_size;
    if (h.data_page_header || h.data_page_header_v2) {
      const Encoding e = h.data_page_header ? h.data_page_header->encoding : h.data_page_header_v2->encoding;
      if (std::find(md().encodings.begin(), md().encodings.end(), e) == md().encodings.end())
        md().encodings.push_back(e);
    }
  }

  std::vector<ColumnInfo> columns_;
  Bytes bytes_;
  thrift::FileMetaData meta_;
};

// ---- Encodings our writer does not produce -------------------------------------------------------

TEST(ParquetReader, DecodesDeltaBinaryPackedColumns) {
  std::vector<std::int64_t> big = {5, -3, std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::min(), 0};
  for (int i = 0; i < 300; ++i) big.push_back(1'700'000'000'000'000'000LL + i * 60'000'000'000LL + (i % 7));
  std::vector<std::int64_t> small_wide;
  std::vector<std::int32_t> small;
  for (int i = 0; i < 305; ++i) small.push_back(i * i - 1000), small_wide.push_back(small.back());
  FileBuilder b({{"big", PhysicalType::kInt64}, {"small", PhysicalType::kInt32}});
  b.row_group(305);
  b.column(Codec::kSnappy);
  // Two pages: each page has its own DELTA_BINARY_PACKED stream.
  b.data_page(100, Encoding::kDeltaBinaryPacked,
              encode_delta_binary_packed(std::span<const std::int64_t>(big).first(100)));
  b.data_page(205, Encoding::kDeltaBinaryPacked,
              encode_delta_binary_packed(std::span<const std::int64_t>(big).subspan(100), 64, 256, 2));
  b.column(Codec::kZstd);
  b.data_page(305, Encoding::kDeltaBinaryPacked, encode_delta_binary_packed(small_wide, 32));
  const FileReader reader(b.write("delta.parquet"));
  EXPECT_EQ(reader.read_column(0, 0).i64, big);
  EXPECT_EQ(reader.read_column(0, 1).i32, small);
}

TEST(ParquetReader, DecodesByteStreamSplitColumns) {
  const std::vector<float> f = {1.5f, -2.25f, 0.0f, 3e30f, -0.0f};
  const std::vector<double> d = {1.5, -2.25, 0.0, 3e300, std::numeric_limits<double>::denorm_min()};
  const std::vector<std::int32_t> i = {1, -1, 1 << 30, 7, 0};
  const std::vector<std::int64_t> l = {1, -1, 1LL << 60, 7, 0};
  const std::vector<std::string> fixed = {"abc", "def", "ghi", "jkl", "mno"};
  ColumnInfo fixed_info{"fixed", PhysicalType::kFixedLenByteArray};
  fixed_info.type_length = 3;
  FileBuilder b({{"f", PhysicalType::kFloat},
                 {"d", PhysicalType::kDouble},
                 {"i", PhysicalType::kInt32},
                 {"l", PhysicalType::kInt64},
                 fixed_info});
  b.row_group(5);
  b.column(Codec::kGzip);
  b.data_page(5, Encoding::kByteStreamSplit, encode_byte_stream_split(plain(f), 4));
  b.column(Codec::kGzip);
  b.data_page(5, Encoding::kByteStreamSplit, encode_byte_stream_split(plain(d), 8));
  b.column();
  b.data_page(5, Encoding::kByteStreamSplit, encode_byte_stream_split(plain(i), 4));
  b.column();
  b.data_page(5, Encoding::kByteStreamSplit, encode_byte_stream_split(plain(l), 8));
  b.column();
  Bytes joined;
  for (const auto& s : fixed) joined.insert(joined.end(), s.begin(), s.end());
  b.data_page(5, Encoding::kByteStreamSplit, encode_byte_stream_split(joined, 3));
  const FileReader reader(b.write("bss.parquet"));
  const auto got_f = reader.read_column(0, 0).f32;
  const auto got_d = reader.read_column(0, 1).f64;
  ASSERT_EQ(got_f.size(), f.size());
  EXPECT_EQ(std::memcmp(got_f.data(), f.data(), f.size() * 4), 0);
  EXPECT_EQ(std::memcmp(got_d.data(), d.data(), d.size() * 8), 0);
  EXPECT_EQ(reader.read_column(0, 2).i32, i);
  EXPECT_EQ(reader.read_column(0, 3).i64, l);
  EXPECT_EQ(reader.read_column(0, 4).str, fixed);
}

TEST(ParquetReader, DecodesDictionaryPagesWithBitPackedAndRleIndices) {
  const std::vector<std::string> dictionary = {"AAPL", "MSFT", "ORCL", "IBM", "GOOG"};
  std::vector<std::uint32_t> idx1, idx2;
  for (int i = 0; i < 37; ++i) idx1.push_back(static_cast<std::uint32_t>((i * 3) % 5));
  for (int i = 0; i < 50; ++i) idx2.push_back(i < 30 ? 2 : static_cast<std::uint32_t>(i % 5));
  FileBuilder b({{"sym", PhysicalType::kByteArray, false, Logical::kString}, {"px", PhysicalType::kDouble}});
  b.row_group(87);
  b.column(Codec::kSnappy);
  b.dictionary_page(plain_strings(dictionary), 5);
  // Page 1: bit-packed runs only (the writer emits RLE runs for repeats), PLAIN_DICTIONARY (legacy).
  b.data_page(37, Encoding::kPlainDictionary, Bytes{3} + encode_bit_packed_runs(idx1, 3));
  // Page 2: a mix of an RLE run and bit-packed runs, RLE_DICTIONARY.
  b.data_page(50, Encoding::kRleDictionary, Bytes{3} + encode_rle(idx2, 3));
  b.column();
  b.dictionary_page(plain(std::vector<double>{1.25, 2.5}), 2, Encoding::kPlainDictionary);
  b.index_page();  // skipped
  b.data_page(87, Encoding::kRleDictionary, Bytes{1} + encode_rle(std::vector<std::uint32_t>(87, 1), 1));
  const FileReader reader(b.write("dictionary.parquet"));
  const auto sym = reader.read_column(0, 0).str;
  ASSERT_EQ(sym.size(), 87u);
  for (int i = 0; i < 37; ++i)
    EXPECT_EQ(sym[static_cast<std::size_t>(i)], dictionary[idx1[static_cast<std::size_t>(i)]]);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(sym[static_cast<std::size_t>(37 + i)], dictionary[idx2[static_cast<std::size_t>(i)]]);
  EXPECT_EQ(reader.read_column(0, 1).f64, std::vector<double>(87, 2.5));
}

TEST(ParquetReader, DecodesDataPageV2WithNulls) {
  // 10 rows, nulls at 1, 4, 5, 9; compressed, uncompressed (is_compressed = false) and LZ4_RAW.
  const std::vector<std::uint32_t> levels = {1, 0, 1, 1, 0, 0, 1, 1, 1, 0};
  const std::vector<std::int64_t> present = {10, 30, 40, 70, 80, 90};
  for (Codec codec : {Codec::kZstd, Codec::kSnappy, Codec::kLz4Raw, Codec::kGzip}) {
    for (bool compressed : {true, false}) {
      FileBuilder b({{"v", PhysicalType::kInt64, true},
                     {"s", PhysicalType::kByteArray, true, Logical::kString},
                     {"r", PhysicalType::kDouble}});
      b.row_group(10);
      b.column(codec);
      b.data_page_v2(6, 3, Encoding::kDeltaBinaryPacked, encode_rle(std::span(levels).first(6), 1),
                     encode_delta_binary_packed(std::span(present).first(3)), compressed);
      b.data_page_v2(4, 1, Encoding::kPlain, encode_rle(std::span(levels).subspan(6), 1),
                     plain(std::vector<std::int64_t>{70, 80, 90}), compressed);
      b.column(codec);
      b.data_page_v2(
          10, 4, Encoding::kDeltaLengthByteArray, encode_rle(levels, 1),
          encode_delta_length_byte_array(std::vector<std::string>{"a", "bb", "", "dddd", "e", "ff"}),
          compressed);
      b.column(codec);
      b.data_page_v2(10, 0, Encoding::kPlain, Bytes{}, plain(std::vector<double>(10, 0.5)), compressed);
      const FileReader reader(b.write(fmt::format("v2-{}-{}.parquet", to_string(codec), compressed)));
      const auto v = reader.read_column(0, 0);
      EXPECT_EQ(v.i64, (std::vector<std::int64_t>{10, 0, 30, 40, 0, 0, 70, 80, 90, 0}));
      EXPECT_EQ(v.valid, (std::vector<std::uint8_t>{1, 0, 1, 1, 0, 0, 1, 1, 1, 0}));
      const auto s = reader.read_column(0, 1);
      EXPECT_EQ(s.str, (std::vector<std::string>{"a", "", "bb", "", "", "", "dddd", "e", "ff", ""}));
      EXPECT_TRUE(s.is_null(1));
      EXPECT_FALSE(s.is_null(2));
      EXPECT_EQ(reader.read_column(0, 2).f64, std::vector<double>(10, 0.5));
      EXPECT_TRUE(reader.read_column(0, 2).valid.empty());
    }
  }
}

TEST(ParquetReader, DecodesOptionalColumnsOfEveryTypeWithV1Pages) {
  const std::vector<std::uint32_t> levels = {0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1};  // 4 present
  FileBuilder b({{"b", PhysicalType::kBoolean, true},
                 {"i", PhysicalType::kInt32, true},
                 {"f", PhysicalType::kFloat, true},
                 {"s", PhysicalType::kByteArray, true},
                 {"bb", PhysicalType::kBoolean, false},
                 {"bp", PhysicalType::kInt32, true}});
  b.row_group(12);
  b.column(Codec::kGzip);
  b.data_page(12, Encoding::kPlain, def_levels_v1(levels) + Bytes{0b0101});
  b.column();
  b.data_page(12, Encoding::kPlain, def_levels_v1(levels) + plain(std::vector<std::int32_t>{1, 2, 3, 4}));
  b.column();
  b.data_page(12, Encoding::kPlain, def_levels_v1(levels) + plain(std::vector<float>{1, 2, 3, 4}));
  b.column();
  b.data_page(12, Encoding::kDeltaByteArray,
              def_levels_v1(levels) +
                  encode_delta_byte_array(std::vector<std::string>{"axis", "axle", "babble", "babyhood"}));
  b.column();
  // RLE-encoded booleans (with their 4-byte length), required.
  const std::vector<std::uint32_t> flags = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0};
  const Bytes rle = encode_rle(flags, 1);
  Bytes body;
  put_u32_le(body, static_cast<std::uint32_t>(rle.size()));
  b.data_page(12, Encoding::kRle, body + rle);
  b.column();
  // Deprecated BIT_PACKED definition levels: MSB first, no length.
  Bytes msb = {0b01101000, 0b00010000};
  b.data_page(12, Encoding::kPlain, msb + plain(std::vector<std::int32_t>{7, 8, 9, 10}),
              Encoding::kBitPacked);
  const FileReader reader(b.write("optional.parquet"));
  const std::vector<std::uint8_t> valid = {0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1};
  const auto bools = reader.read_column(0, 0);
  EXPECT_EQ(bools.valid, valid);
  EXPECT_EQ(bools.boolean, (std::vector<std::uint8_t>{0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(reader.read_column(0, 1).i32, (std::vector<std::int32_t>{0, 1, 2, 0, 3, 0, 0, 0, 0, 0, 0, 4}));
  EXPECT_EQ(reader.read_column(0, 2).f32, (std::vector<float>{0, 1, 2, 0, 3, 0, 0, 0, 0, 0, 0, 4}));
  EXPECT_EQ(reader.read_column(0, 3).str,
            (std::vector<std::string>{"", "axis", "axle", "", "babble", "", "", "", "", "", "", "babyhood"}));
  EXPECT_EQ(reader.read_column(0, 4).boolean,
            (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0}));
  const auto bp = reader.read_column(0, 5);
  EXPECT_EQ(bp.valid, (std::vector<std::uint8_t>{0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(bp.i32, (std::vector<std::int32_t>{0, 7, 8, 0, 9, 0, 0, 0, 0, 0, 0, 10}));
}

TEST(ParquetReader, ConvertsInt96TimestampsAndReadsManyRowGroups) {
  FileBuilder b({{"t", PhysicalType::kInt96}});
  for (int g = 0; g < 40; ++g) {
    b.row_group(1);
    b.column();
    Bytes v(12);
    const std::int64_t nanos = g * 1000;
    const std::int32_t day = 2440588 + g;  // 1970-01-01 + g days
    std::memcpy(v.data(), &nanos, 8);
    std::memcpy(v.data() + 8, &day, 4);
    b.data_page(1, Encoding::kPlain, v);
  }
  const FileReader reader(b.write("int96.parquet"));
  EXPECT_EQ(reader.columns()[0].logical, Logical::kTimestampNanos);
  ASSERT_EQ(reader.num_row_groups(), 40);
  for (int g = 0; g < 40; ++g) EXPECT_EQ(reader.read_column(g, 0).i64[0], g * kNsPerDay + g * 1000);
}

// ---- Hostile files ----------------------------------------------------------------------------------

FileBuilder simple_file(std::int32_t rows = 4) {
  FileBuilder b({{"x", PhysicalType::kInt64}});
  b.row_group(rows);
  b.column();
  std::vector<std::int64_t> v(static_cast<std::size_t>(rows));
  for (std::int32_t i = 0; i < rows; ++i) v[static_cast<std::size_t>(i)] = i;
  b.data_page(rows, Encoding::kPlain, plain(v));
  return b;
}

std::string open_error(const Bytes& bytes, const std::string& name) {
  const std::string path = case_path(name);
  write_bytes(path, bytes);
  return error_of([&] {
    const FileReader r(path);
    for (int g = 0; g < r.num_row_groups(); ++g)
      for (int c = 0; c < static_cast<int>(r.columns().size()); ++c) r.read_column(g, c);
  });
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST(ParquetReader, RefusesBrokenFramingWithPreciseMessages) {
  const Bytes good = simple_file().finish();
  EXPECT_EQ(open_error(good, "good.parquet"), "accepted");
  EXPECT_CONTAINS(open_error(Bytes{'P', 'A', 'R'}, "tiny.parquet"), "not a Parquet file: 3 bytes");
  Bytes magic = good;
  magic[0] = 'X';
  EXPECT_CONTAINS(open_error(magic, "magic.parquet"),
                  "magic.parquet: not a Parquet file: starts with bytes 58 41 52 31");
  Bytes tail = good;
  tail.back() = '0';
  EXPECT_CONTAINS(open_error(tail, "tail.parquet"), "expected the magic \"PAR1\"");
  Bytes truncated(good.begin(), good.end() - 20);
  EXPECT_CONTAINS(open_error(truncated, "truncated.parquet"), "truncated");
  Bytes footer_len = good;
  footer_len[footer_len.size() - 6] = 0x7f;  // footer length ~8 MB
  EXPECT_CONTAINS(open_error(footer_len, "footerlen.parquet"), "footer length");
  Bytes encrypted = good;
  std::memcpy(encrypted.data() + encrypted.size() - 4, "PARE", 4);
  EXPECT_CONTAINS(open_error(encrypted, "pare.parquet"), "encrypted");
  Bytes footer_garbage = good;
  const std::size_t len = footer_garbage[footer_garbage.size() - 8];
  for (std::size_t i = footer_garbage.size() - 8 - len; i < footer_garbage.size() - 8; ++i)
    footer_garbage[i] = 0xff;
  EXPECT_CONTAINS(open_error(footer_garbage, "footergarbage.parquet"), "footer (");
  EXPECT_CONTAINS(error_of([] { FileReader r(case_path("does-not-exist.parquet")); }), "cannot open");
}

TEST(ParquetReader, RefusesLyingMetadata) {
  {
    auto b = simple_file();
    b.meta().row_groups[0].columns[0].meta_data->total_compressed_size = 1 << 30;
    EXPECT_CONTAINS(open_error(b.finish(), "chunklen.parquet"), "lie outside the data of the file");
  }
  {
    auto b = simple_file();
    b.meta().row_groups[0].num_rows = 5;
    b.meta().num_rows = 5;
    const std::string e = open_error(b.finish(), "rows.parquet");
    EXPECT_CONTAINS(
        e,
        "rows.parquet: row group 0, column 0 (x): the column chunk holds 4 values, the row group has 5 rows");
  }
  {
    auto b = simple_file();
    b.meta().num_rows = 7;
    EXPECT_CONTAINS(open_error(b.finish(), "filerows.parquet"),
                    "num_rows is 7 but the row groups hold 4 rows");
  }
  {
    auto b = simple_file();
    b.meta().row_groups[0].columns[0].meta_data->type = PhysicalType::kDouble;
    EXPECT_CONTAINS(open_error(b.finish(), "type.parquet"),
                    "column chunk type DOUBLE differs from the schema's INT64");
  }
  {
    auto b = simple_file();
    b.meta().row_groups[0].columns[0].meta_data->codec = Codec::kBrotli;
    EXPECT_CONTAINS(open_error(b.finish(), "brotli.parquet"), "compression codec BROTLI is not supported");
  }
  {
    auto b = simple_file();
    b.meta().row_groups[0].num_rows = 1LL << 40;
    b.meta().row_groups[0].columns[0].meta_data->num_values = 1LL << 40;
    b.meta().num_rows = 1LL << 40;
    EXPECT_CONTAINS(open_error(b.finish(), "hugerows.parquet"), "exceed the");
  }
}

TEST(ParquetReader, RefusesNestedAndUnsupportedSchemas) {
  {
    auto b = simple_file();
    thrift::SchemaElement group;
    group.name = "nested";
    group.num_children = 1;
    group.repetition_type = Repetition::kOptional;
    thrift::SchemaElement leaf;
    leaf.name = "leaf";
    leaf.type = PhysicalType::kInt32;
    b.meta().schema.push_back(group);
    b.meta().schema.push_back(leaf);
    b.meta().schema[0].num_children = 2;
    EXPECT_CONTAINS(open_error(b.finish(), "nested.parquet"),
                    "column \"nested\" is a group (a nested struct, list or map); only flat schemas");
  }
  {
    auto b = simple_file();
    b.meta().schema[1].repetition_type = Repetition::kRepeated;
    EXPECT_CONTAINS(open_error(b.finish(), "repeated.parquet"), "column \"x\" is REPEATED");
  }
  {
    auto b = simple_file();
    b.meta().row_groups[0].columns[0].file_path = "other.parquet";
    EXPECT_CONTAINS(open_error(b.finish(), "external.parquet"), "external column chunks are not supported");
  }
  {
    auto b = simple_file();
    b.meta().schema[0].num_children = 3;
    EXPECT_CONTAINS(open_error(b.finish(), "children.parquet"), "the schema root says 3 children");
  }
}

TEST(ParquetReader, RefusesLyingPages) {
  const auto page_error = [](const std::function<void(FileBuilder&)>& make, const std::string& name) {
    FileBuilder b({{"x", PhysicalType::kInt64}});
    b.row_group(4);
    b.column(Codec::kZstd);
    make(b);
    b.meta().row_groups[0].columns[0].meta_data->num_values = 4;
    return open_error(b.finish(), name);
  };
  const Bytes values = plain(std::vector<std::int64_t>{1, 2, 3, 4});
  // Page values beyond the column chunk's.
  EXPECT_CONTAINS(
      page_error([&](FileBuilder& b) { b.data_page(5, Encoding::kPlain, values); }, "pagecount.parquet"),
      "row group 0, column 0 (x), page 0: page holds 5 values after 0 already read, more than the 4");
  // A page whose values are not there.
  EXPECT_CONTAINS(page_error(
                      [&](FileBuilder& b) {
                        b.data_page(2, Encoding::kPlain, plain(std::vector<std::int64_t>{1}));
                        b.data_page(2, Encoding::kPlain, plain(std::vector<std::int64_t>{1, 2}));
                      },
                      "short.parquet"),
                  "page 0: PLAIN: 2 values of 8 bytes need 16 bytes, the page holds 8");
  // Fewer values in the pages than the column chunk says.
  {
    FileBuilder b({{"x", PhysicalType::kInt64}});
    b.row_group(4);
    b.column();
    b.data_page(3, Encoding::kPlain, plain(std::vector<std::int64_t>{1, 2, 3}));
    b.meta().row_groups[0].columns[0].meta_data->num_values = 4;
    EXPECT_CONTAINS(open_error(b.finish(), "fewer.parquet"), "the column chunk ends (total_compressed_size");
  }
  // Dictionary index out of range.
  EXPECT_CONTAINS(page_error(
                      [&](FileBuilder& b) {
                        b.dictionary_page(plain(std::vector<std::int64_t>{7, 8}), 2);
                        b.data_page(4, Encoding::kRleDictionary,
                                    Bytes{2} + encode_rle(std::vector<std::uint32_t>{0, 1, 3, 0}, 2));
                      },
                      "dictindex.parquet"),
                  "page 1: dictionary index 3 of value 2 is out of range: the dictionary has 2 entries");
  // Dictionary-encoded data without a dictionary page.
  EXPECT_CONTAINS(page_error(
                      [&](FileBuilder& b) {
                        b.data_page(4, Encoding::kRleDictionary,
                                    Bytes{1} + encode_rle(std::vector<std::uint32_t>{0, 0, 0, 0}, 1));
                      },
                      "nodict.parquet"),
                  "no dictionary page");
  // Index bit width beyond 32.
  EXPECT_CONTAINS(page_error(
                      [&](FileBuilder& b) {
                        b.dictionary_page(plain(std::vector<std::int64_t>{7}), 1);
                        b.data_page(4, Encoding::kRleDictionary, Bytes{40, 0x08, 0});
                      },
                      "width.parquet"),
                  "dictionary index bit width 40 exceeds 32");
  // Encodings that do not fit the type.
  EXPECT_CONTAINS(page_error([&](FileBuilder& b) { b.data_page(4, Encoding::kDeltaLengthByteArray, values); },
                             "wrongenc.parquet"),
                  "encoding DELTA_LENGTH_BYTE_ARRAY is not supported for INT64 columns");
  EXPECT_CONTAINS(
      page_error([&](FileBuilder& b) { b.data_page(4, static_cast<Encoding>(10), values); }, "alp.parquet"),
      "ALP");
  // An uncompressed size no 4 INT64 values can need.
  {
    FileBuilder b({{"x", PhysicalType::kInt64}});
    b.row_group(4);
    b.column();
    b.data_page(4, Encoding::kPlain, values);
    Bytes bytes = b.finish();
    // Re-encode the page header with a huge uncompressed_page_size.
    std::size_t header_size = 0;
    auto h = thrift::decode_page_header(ByteSpan(bytes).subspan(4), header_size);
    h.uncompressed_page_size = 200 << 20;
    h.compressed_page_size = 32;
    b = FileBuilder({{"x", PhysicalType::kInt64}});
    b.meta() = thrift::decode_file_metadata(
        ByteSpan(bytes).subspan(4 + header_size + 32, bytes.size() - 4 - header_size - 32 - 8));
    const Bytes new_header = thrift::encode_page_header(h);
    Bytes rebuilt = {'P', 'A', 'R', '1'};
    rebuilt = rebuilt + new_header + values;
    b.meta().row_groups[0].columns[0].meta_data->total_compressed_size =
        static_cast<std::int64_t>(new_header.size() + 32);
    b.meta().row_groups[0].columns[0].meta_data->codec = Codec::kZstd;
    const Bytes footer = thrift::encode_file_metadata(b.meta());
    rebuilt = rebuilt + footer;
    put_u32_le(rebuilt, static_cast<std::uint32_t>(footer.size()));
    rebuilt = rebuilt + Bytes{'P', 'A', 'R', '1'};
    EXPECT_CONTAINS(open_error(rebuilt, "hugepage.parquet"),
                    "uncompressed_page_size 209715200 is more than 4 values of 8 bytes can need");
  }
  // v2: level lengths beyond the page; num_nulls that disagree with the levels.
  {
    FileBuilder b({{"x", PhysicalType::kInt64, true}});
    b.row_group(4);
    b.column();
    b.data_page_v2(4, 1, Encoding::kPlain, encode_rle(std::vector<std::uint32_t>{1, 1, 1, 1}, 1),
                   plain(std::vector<std::int64_t>{1, 2, 3, 4}));
    EXPECT_CONTAINS(open_error(b.finish(), "nulls.parquet"),
                    "num_nulls is 1 but the definition levels hold 0 nulls");
  }
}

TEST(ParquetReader, LimitsBoundWhatAFileCanMakeUsAllocate) {
  // A legitimate constant column: one dictionary entry, a million rows in a few bytes of RLE.
  FileBuilder b({{"s", PhysicalType::kByteArray}});
  b.row_group(1'000'000);
  b.column();
  b.dictionary_page(plain_strings({std::string(1000, 'x')}), 1);
  b.data_page(1'000'000, Encoding::kRleDictionary,
              Bytes{1} + encode_rle(std::vector<std::uint32_t>(1'000'000, 0), 1));
  const std::string path = b.write("expand.parquet");
  ReaderLimits limits;
  limits.max_page_bytes = 16 << 20;
  const std::string e = error_of([&] { FileReader(path, limits).read_column(0, 0); });
  EXPECT_CONTAINS(e,
                  "expand.parquet: row group 0, column 0 (s), page 1: num_values is 1000000: more than the");
  limits.max_page_bytes = 256 << 20;
  limits.max_column_chunk_bytes = 100 << 20;
  EXPECT_CONTAINS(error_of([&] { FileReader(path, limits).read_column(0, 0); }),
                  "dictionary values expand to more than the");
}

// ---- Bars ---------------------------------------------------------------------------------------------

// A bars table with chosen column names and types.
struct BarsTable {
  std::vector<ColumnSpec> specs;
  std::vector<ColumnData> data;
  std::string write(const std::string& name, std::size_t row_group_rows = 1000, std::size_t page_rows = 64 * 1024) const {
    WriterOptions options;
    options.row_group_rows = row_group_rows;
    options.page_rows = page_rows;
    const std::string path = case_path(name);
    TableWriter w(path, specs, options);
    w.write_row_group(data);
    w.close();
    return path;
  }
};

BarsTable standard_table(std::size_t n) {
  BarsTable t;
  t.specs = {{"timestamp", PhysicalType::kInt64, false, Logical::kTimestampMillis},
             {"open", PhysicalType::kDouble, true},
             {"high", PhysicalType::kDouble, true},
             {"low", PhysicalType::kDouble, true},
             {"close", PhysicalType::kDouble, true},
             {"volume", PhysicalType::kDouble, true}};
  t.data.resize(6);
  t.data[0].type = PhysicalType::kInt64;
  for (int f = 1; f < 6; ++f) t.data[static_cast<std::size_t>(f)].type = PhysicalType::kDouble;
  for (std::size_t i = 0; i < n; ++i) {
    t.data[0].i64.push_back(1'700'000'000'000 + static_cast<std::int64_t>(i) * 60'000);
    const double base = 100 + static_cast<double>(i);
    t.data[1].f64.push_back(base);
    t.data[2].f64.push_back(base + 2);
    t.data[3].f64.push_back(base - 1);
    t.data[4].f64.push_back(base + 1);
    t.data[5].f64.push_back(1000);
    for (int f = 1; f < 6; ++f) t.data[static_cast<std::size_t>(f)].valid.push_back(1);
  }
  return t;
}

TEST(ParquetBars, ReadsTimestampColumnsOfEveryUnitAcrossRowGroups) {
  const auto t = standard_table(2500);
  const auto bars = read_parquet_bars(t.write("bars-ms.parquet"));
  ASSERT_EQ(bars.size(), 2500u);
  EXPECT_EQ(format_iso(bars[0].time), "2023-11-14T22:13:20Z");
  EXPECT_EQ(bars[2499].time.ns - bars[0].time.ns, 2499 * kNsPerMinute);
  EXPECT_EQ(bars[7].open, 107);
  EXPECT_EQ(bars[7].high, 109);
}

TEST(ParquetBars, AcceptsStringTimesIntegerEpochsAndRenamedColumns) {
  BarsTable t;
  t.specs = {{"Date", PhysicalType::kByteArray, false, Logical::kString},
             {"o", PhysicalType::kFloat},
             {"h", PhysicalType::kInt32},
             {"l", PhysicalType::kInt64},
             {"c", PhysicalType::kInt64, false, Logical::kDecimal},
             {"v", PhysicalType::kDouble}};
  t.specs[4].decimal_precision = 10;
  t.specs[4].decimal_scale = 2;
  t.data.resize(6);
  for (std::size_t f = 0; f < 6; ++f) t.data[f].type = t.specs[f].type;
  t.data[0].str = {"2024-01-01", "2024-01-02T00:00:00Z", "2024-01-03 12:30:00+01:00"};
  t.data[1].f32 = {10.5f, 11, 12};
  t.data[2].i32 = {12, 13, 14};
  t.data[3].i64 = {10, 10, 11};
  t.data[4].i64 = {1150, 1225, 1300};
  t.data[5].f64 = {1, 2, 3};
  OhlcvMapping m;
  m.time = "timestamp";  // found through the "date" alias, case-insensitively
  m.open = "o", m.high = "h", m.low = "l", m.close = "c", m.volume = "v";
  const auto bars = read_parquet_bars(t.write("bars-strings.parquet"), m);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(format_iso(bars[0].time), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso(bars[2].time), "2024-01-03T11:30:00Z");
  EXPECT_EQ(bars[0].open, 10.5);
  EXPECT_EQ(bars[1].close, 12.25);

  // A plain INT64 epoch needs a unit.
  BarsTable e = standard_table(3);
  e.specs[0].logical = Logical::kNone;
  const std::string path = e.write("bars-epoch.parquet");
  EXPECT_CONTAINS(error_of([&] { read_parquet_bars(path); }),
                  "time column \"timestamp\" (INT64, logical type none): a bare number has no unit; set "
                  "OhlcvMapping::unit");
  OhlcvMapping ms;
  ms.unit = TimeUnit::kMillis;
  EXPECT_EQ(format_iso(read_parquet_bars(path, ms)[0].time), "2023-11-14T22:13:20Z");
  OhlcvMapping wrong;
  wrong.close = "Close!";
  EXPECT_CONTAINS(
      error_of([&] { read_parquet_bars(path, wrong); }),
      "no column \"Close!\" for the bar close (OhlcvMapping::close); the file has columns: timestamp, open, "
      "high, low, close, volume; did you mean \"close\"?");
}

TEST(ParquetBars, NullPolicies) {
  auto t = standard_table(5);
  t.data[2].valid[1] = 0;  // high of row 2 is null
  t.data[2].f64[1] = 0;
  const std::string path = t.write("bars-nulls.parquet");
  EXPECT_CONTAINS(error_of([&] { read_parquet_bars(path); }),
                  "bars-nulls.parquet: row 2 (row group 0): high: null value; expected a number "
                  "(OhlcvMapping::nulls is kRefuse)");
  OhlcvMapping skip;
  skip.nulls = NullPolicy::kSkipRow;
  const auto skipped = read_parquet_bars(path, skip);
  ASSERT_EQ(skipped.size(), 4u);
  EXPECT_EQ(skipped[1].open, 102);
  OhlcvMapping fill;
  fill.nulls = NullPolicy::kFillPrevious;
  const auto filled = read_parquet_bars(path, fill);
  ASSERT_EQ(filled.size(), 5u);
  EXPECT_EQ(filled[1].high, 102);  // the previous bar's high
  t.data[2].valid[0] = 0;
  t.data[2].valid[1] = 1;
  t.data[2].f64[1] = 103;
  const std::string first = t.write("bars-firstnull.parquet");
  EXPECT_CONTAINS(error_of([&] { read_parquet_bars(first, fill); }),
                  "row 1 (row group 0): high: null in the first bar");
}

TEST(ParquetBars, BadBarsAreRefusedWithRowAndColumn) {
  struct Case {
    std::size_t field, row;
    double value;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {3, 1500, 1600.5, "row 1501 (row group 1): low: low 1600.5 is above min(open, close) 1600"},
      {2, 3, 50, "row 4 (row group 0): high: high 50 is below low 102"},
      {2, 3, 103.5, "row 4 (row group 0): high: high 103.5 is below max(open, close) 104"},
      {1, 0, -1, "row 1 (row group 0): open: expected a value >= 0, found -1"},
      {5, 0, std::nan(""), "row 1 (row group 0): volume: expected a finite number, found nan"},
      {4, 0, 0, "row 1 (row group 0): close: expected a price > 0, found 0"},
  };
  for (const auto& c : cases) {
    auto t = standard_table(2000);
    t.data[c.field].f64[c.row] = c.value;
    const std::string path = t.write("bars-bad.parquet");
    EXPECT_CONTAINS(error_of([&] { read_parquet_bars(path); }), c.expect);
  }
  auto t = standard_table(2000);
  t.data[0].i64[1200] = t.data[0].i64[1199];
  const std::string path = t.write("bars-dup.parquet");
  EXPECT_CONTAINS(error_of([&] { read_parquet_bars(path); }),
                  "row 1201 (row group 1): timestamp: 2023-11-15T18:12:20Z duplicates the previous row's "
                  "2023-11-15T18:12:20Z (row 1200); rows must be strictly increasing in time");
}

// next_span, as the backtest environment reads: batches equal next()'s bars, with required
// columns (the null-free fast path) and with optional ones; a bad row ends the batch before it
// and is raised by the next call, so every bar before it is replayed first, as with next().
TEST(ParquetBars, BatchesStopJustBeforeABadRowAndRaiseItNext) {
  for (const bool optional : {false, true}) {
   for (const bool early : {false, true}) {  // a bad price, or a time out of order
    auto t = standard_table(3000);
    if (!optional)
      for (std::size_t f = 1; f < 6; ++f) t.specs[f].optional = false, t.data[f].valid.clear();
    if (early) {
      t.data[0].i64[1700] = t.data[0].i64[1698];  // row 1701: before row 1700
    } else {
      t.data[2].f64[1700] = 50;  // row 1701: high below low
    }
    const std::string path = t.write(fmt::format("bars-span-{}-{}.parquet", optional, early));
    auto source = open_parquet_bars(path);
    std::vector<Bar> got;
    std::string error;
    try {
      for (auto batch = source->next_span(256); !batch.empty(); batch = source->next_span(256)) {
        EXPECT_LE(batch.size(), 256u);
        got.insert(got.end(), batch.begin(), batch.end());
      }
    } catch (const Error& e) {
      error = e.what();
    }
    ASSERT_EQ(got.size(), 1700u) << (optional ? "optional" : "required");
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].open, 100 + static_cast<double>(i));
      ASSERT_EQ(got[i].time.ns, (1'700'000'000'000 + static_cast<std::int64_t>(i) * 60'000) * 1'000'000);
    }
    EXPECT_CONTAINS(error, early ? "row 1701 (row group 1): timestamp: 2023-11-16T02:31:20Z is before the "
                                   "previous row's 2023-11-16T02:32:20Z (row 1700)"
                                 : "row 1701 (row group 1): high: high 50 is below low 1799")
        << (optional ? "optional" : "required") << ": " << error;
   }
  }
}

// The bar source holds one page of each column at a time: rows, nulls and a column that serves
// two fields come out as in the table across page and row group boundaries, by next() and by
// next_span(), skipping rows with nulls or filling them from the previous bar.
TEST(ParquetBars, StreamsPageByPageAcrossPagesAndRowGroups) {
  auto t = standard_table(5000);
  std::mt19937 rng(7);
  for (std::size_t i = 1; i < 5000; ++i)
    for (std::size_t f : {3u, 5u})  // low (which also serves as the open) and volume
      if (rng() % 11 == 0) t.data[f].valid[i] = 0, t.data[f].f64[i] = 0;
  // Pages of 170 rows in groups of 1000: pages end mid-group, and the last page of a group is short.
  const std::string path = t.write("bars-pages.parquet", 1000, 170);
  ASSERT_GT(FileReader(path).metadata().row_groups[0].columns[1].meta_data->total_uncompressed_size, 0);
  for (const NullPolicy policy : {NullPolicy::kSkipRow, NullPolicy::kFillPrevious}) {
    OhlcvMapping mapping;
    mapping.nulls = policy;
    mapping.open = "low";  // one column for two fields
    std::vector<Bar> want;
    for (std::size_t i = 0; i < 5000; ++i) {
      const auto value = [&](std::size_t f, double previous) {
        return t.data[f].valid[i] ? t.data[f].f64[i] : previous;
      };
      const bool nulls = !t.data[3].valid[i] || !t.data[5].valid[i];
      if (nulls && policy == NullPolicy::kSkipRow) continue;
      const Bar prev = want.empty() ? Bar{} : want.back();
      want.push_back({Timestamp{t.data[0].i64[i] * 1'000'000}, value(3, prev.open), t.data[2].f64[i],
                      value(3, prev.low), t.data[4].f64[i], value(5, prev.volume)});
    }
    SCOPED_TRACE(policy == NullPolicy::kSkipRow ? "skip" : "fill");
    expect_identical(read_parquet_bars(path, mapping), want);
    auto source = open_parquet_bars(path, mapping);
    std::vector<Bar> got;
    for (auto batch = source->next_span(97); !batch.empty(); batch = source->next_span(97))
      got.insert(got.end(), batch.begin(), batch.end());
    expect_identical(got, want);
  }
}

// read_pages reads a chunk through a 64 KiB window: pages that straddle the window's end, page
// headers cut by it, dictionary pages and strings give the values read_column gives.
TEST(ParquetReader, PagesReadThroughTheWindowEqualTheWholeChunk) {
  std::vector<ColumnSpec> specs = {{"d", PhysicalType::kDouble, false},
                                   {"s", PhysicalType::kByteArray, true, Logical::kString},
                                   {"i", PhysicalType::kInt64, false}};
  std::vector<ColumnData> data(3);
  data[0].type = PhysicalType::kDouble;
  data[1].type = PhysicalType::kByteArray;
  data[2].type = PhysicalType::kInt64;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 60'000; ++i) {
    data[0].f64.push_back(static_cast<double>(rng() % 1'000'000) / 7.0);
    data[1].str.push_back(std::string(1 + rng() % 40, static_cast<char>('a' + rng() % 26)));
    data[1].valid.push_back(rng() % 9 != 0);
    if (!data[1].valid.back()) data[1].str.back().clear();
    data[2].i64.push_back(static_cast<std::int64_t>(rng()));
  }
  for (const std::size_t page_rows : {std::size_t{1234}, std::size_t{20'000}})  // pages under and over 64 KiB
  for (const bool dictionary : {false, true}) {
    WriterOptions options;
    options.codec = Codec::kUncompressed;  // pages of ~10-400 KB in chunks of ~0.5 MB
    options.dictionary = dictionary;
    options.dictionary_max_bytes = 8 << 20;
    options.page_rows = page_rows;
    options.row_group_rows = 40'000;
    const std::string path = case_path(fmt::format("window-{}-{}.parquet", page_rows, dictionary));
    TableWriter w(path, specs, options);
    w.write_row_group(data);
    w.close();
    const FileReader reader(path);
    for (int g = 0; g < reader.num_row_groups(); ++g) {
      for (int c = 0; c < 3; ++c) {
        const ColumnData whole = reader.read_column(g, c);
        ColumnData joined;
        joined.type = whole.type;
        auto pages = reader.read_pages(g, c);
        int n = 0;
        while (pages.next()) {
          const ColumnData& p = pages.data();
          joined.f64.insert(joined.f64.end(), p.f64.begin(), p.f64.end());
          joined.str.insert(joined.str.end(), p.str.begin(), p.str.end());
          joined.i64.insert(joined.i64.end(), p.i64.begin(), p.i64.end());
          joined.valid.insert(joined.valid.end(), p.valid.begin(), p.valid.end());
          ++n;
        }
        SCOPED_TRACE(fmt::format("pages of {}, dictionary {}, group {}, column {}", page_rows, dictionary, g, c));
        EXPECT_GT(n, 0);
        EXPECT_EQ(joined.f64, whole.f64);
        EXPECT_EQ(joined.str, whole.str);
        EXPECT_EQ(joined.i64, whole.i64);
        EXPECT_EQ(joined.valid, whole.valid);
      }
    }
  }
}

// Page headers longer than the first bytes read for them (page statistics with long values, as
// some writers make them): read_pages reads on until the header is whole, past its 64 KiB window.
TEST(ParquetReader, LongPageHeadersAreReadWhole) {
  FileBuilder b({{"x", PhysicalType::kInt64}});
  b.row_group(30);
  b.column(Codec::kZstd);
  std::vector<std::int64_t> all;
  for (const std::size_t stat : {std::size_t{10}, std::size_t{20'000}, std::size_t{100'000}}) {
    std::vector<std::int64_t> v;
    for (int i = 0; i < 10; ++i) v.push_back(static_cast<std::int64_t>(stat) + i);
    all.insert(all.end(), v.begin(), v.end());
    thrift::Statistics st;
    st.max_value = std::string(stat, 'z');
    b.data_page(10, Encoding::kPlain, plain(v), Encoding::kRle, st);
  }
  const std::string path = b.write("long-headers.parquet");
  const FileReader reader(path);
  EXPECT_EQ(reader.read_column(0, 0).i64, all);
  auto pages = reader.read_pages(0, 0);
  std::vector<std::int64_t> got;
  while (pages.next()) got.insert(got.end(), pages.data().i64.begin(), pages.data().i64.end());
  EXPECT_EQ(got, all);
}

TEST(ParquetBars, StreamsManyRowGroups) {
  auto t = standard_table(5000);
  const std::string path = t.write("bars-many.parquet", 100);
  auto source = open_parquet_bars(path);
  Bar b;
  std::size_t n = 0;
  while (source->next(b)) ++n;
  EXPECT_EQ(n, 5000u);
  EXPECT_EQ(FileReader(path).num_row_groups(), 50);
}

// ---- Randomized corruption ----------------------------------------------------------------------------

std::vector<Bytes> corpus() {
  std::vector<Bytes> files;
  {
    std::vector<Bar> bars;
    for (int i = 0; i < 300; ++i)
      bars.push_back({Timestamp{1'000'000'000LL * i}, 10.0 + i % 7, 20.0 + i % 5, 5.0, 12.0, 100.0 + i});
    WriterOptions options;
    options.dictionary = true;
    options.codec = Codec::kSnappy;
    options.row_group_rows = 120;
    options.page_rows = 50;
    VectorBarSource source(bars);
    write_parquet_bars(case_path("corpus-bars.parquet"), source, options);
    files.push_back(read_bytes(case_path("corpus-bars.parquet")));
    options.dictionary = false;
    options.codec = Codec::kUncompressed;
    VectorBarSource again(bars);
    write_parquet_bars(case_path("corpus-plain.parquet"), again, options);
    files.push_back(read_bytes(case_path("corpus-plain.parquet")));
    options.byte_stream_split = true;  // as `data import --encoding byte_stream_split` writes
    options.delta_integers = true;
    VectorBarSource third(bars);
    write_parquet_bars(case_path("corpus-split.parquet"), third, options);
    files.push_back(read_bytes(case_path("corpus-split.parquet")));
  }
  {
    std::vector<ColumnSpec> specs = {{"s", PhysicalType::kByteArray, true, Logical::kString},
                                     {"b", PhysicalType::kBoolean, true},
                                     {"f", PhysicalType::kFloat, false}};
    std::vector<ColumnData> data(3);
    data[0].type = PhysicalType::kByteArray;
    data[1].type = PhysicalType::kBoolean;
    data[2].type = PhysicalType::kFloat;
    for (int i = 0; i < 200; ++i) {
      data[0].str.push_back(i % 3 == 0 ? "" : std::string(static_cast<std::size_t>(i % 9), 'a' + i % 5));
      data[0].valid.push_back(i % 4 != 0);
      data[1].boolean.push_back(i % 2);
      data[1].valid.push_back(i % 5 != 0);
      data[2].f32.push_back(static_cast<float>(i) / 3);
    }
    WriterOptions options;
    options.dictionary = true;
    options.codec = Codec::kZstd;
    options.page_rows = 64;
    TableWriter w(case_path("corpus-table.parquet"), specs, options);
    w.write_row_group(data);
    w.close();
    files.push_back(read_bytes(case_path("corpus-table.parquet")));
  }
  {
    FileBuilder b(
        {{"v", PhysicalType::kInt64, true}, {"d", PhysicalType::kDouble}, {"s", PhysicalType::kByteArray}});
    b.row_group(10);
    b.column(Codec::kGzip);
    const std::vector<std::uint32_t> levels = {1, 0, 1, 1, 0, 0, 1, 1, 1, 0};
    b.data_page_v2(10, 4, Encoding::kDeltaBinaryPacked, encode_rle(levels, 1),
                   encode_delta_binary_packed(std::vector<std::int64_t>{1, 5, 2, 8, 9, 100}));
    b.column(Codec::kLz4Raw);
    b.data_page(10, Encoding::kByteStreamSplit,
                encode_byte_stream_split(plain(std::vector<double>(10, 2.5)), 8));
    b.column(Codec::kZstd);
    std::vector<std::string> s;
    for (int i = 0; i < 10; ++i) s.push_back(std::string(static_cast<std::size_t>(i), 'q'));
    b.data_page(5, Encoding::kDeltaByteArray, encode_delta_byte_array(std::span(s).first(5)));
    b.data_page(5, Encoding::kDeltaLengthByteArray, encode_delta_length_byte_array(std::span(s).subspan(5)));
    files.push_back(b.finish());
  }
  return files;
}

TEST(ParquetCorruption, RandomDamageIsAnErrorNeverACrash) {
  const auto files = corpus();
  for (const auto& f : files) ASSERT_EQ(open_error(f, "corpus-check.parquet"), "accepted");
  ReaderLimits limits;
  limits.max_page_bytes = 4 << 20;
  limits.max_column_chunk_bytes = 16 << 20;
  limits.max_footer_bytes = 1 << 20;
  std::mt19937_64 rng(20240601);
  const std::string path = case_path("mutant.parquet");
  int accepted = 0, refused = 0;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kMutations = 3000;
  for (int trial = 0; trial < kMutations; ++trial) {
    Bytes bytes = files[rng() % files.size()];
    const std::size_t footer_len = bytes[bytes.size() - 8] | (bytes[bytes.size() - 7] << 8);
    const std::size_t footer_at = bytes.size() - 8 - footer_len;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !bytes.empty(); ++k) {
      // Half of the edits land in the footer, where most of the structure is.
      const std::size_t from = rng() % 2 == 0 && footer_at < bytes.size() ? footer_at : 0;
      const std::size_t at = from + rng() % (bytes.size() - from);
      switch (rng() % 6) {
        case 0:
          bytes[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
          break;  // flip a bit
        case 1:
          bytes[at] = static_cast<std::uint8_t>(rng());
          break;  // overwrite a byte
        case 2:
          bytes.resize(at);
          break;   // truncate
        case 3: {  // a huge varint
          for (std::size_t i = at; i < std::min(bytes.size(), at + 4); ++i) bytes[i] = 0xff;
          if (at + 4 < bytes.size()) bytes[at + 4] = 0x07;
          break;
        }
        case 4: {  // a huge 32-bit length
          const std::uint32_t v = rng() % 2 ? 0x7fffffffu : 0xfffffff0u;
          for (int i = 0; i < 4 && at + static_cast<std::size_t>(i) < bytes.size(); ++i)
            bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
          break;
        }
        default: {  // zero a stretch
          for (std::size_t i = at; i < std::min(bytes.size(), at + 1 + rng() % 16); ++i) bytes[i] = 0;
          break;
        }
      }
    }
    write_bytes(path, bytes);
    try {
      const FileReader reader(path, limits);
      for (int g = 0; g < reader.num_row_groups(); ++g)
        for (int c = 0; c < static_cast<int>(reader.columns().size()); ++c) reader.read_column(g, c);
      ++accepted;
    } catch (const Error&) {
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "trial " << trial << ": an exception other than st::Error: " << e.what();
    }
    // The same file page by page, as the bar source streams it: an error or the same values.
    try {
      const FileReader reader(path, limits);
      for (int g = 0; g < reader.num_row_groups(); ++g)
        for (int c = 0; c < static_cast<int>(reader.columns().size()); ++c) {
          auto pages = reader.read_pages(g, c);
          std::size_t rows = 0;
          while (pages.next()) rows += pages.data().size();
          ASSERT_EQ(rows, reader.read_column(g, c).size()) << "trial " << trial;
        }
    } catch (const Error&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << "trial " << trial << ": pages: an exception other than st::Error: " << e.what();
    }
    try {
      auto source = open_parquet_bars(path, {}, limits);
      for (auto batch = source->next_span(64); !batch.empty(); batch = source->next_span(64)) {
      }
    } catch (const Error&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << "trial " << trial << ": bars: an exception other than st::Error: " << e.what();
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(accepted + refused, kMutations);
  EXPECT_GT(refused, kMutations / 4);
  EXPECT_LT(seconds, 10.0);
  std::printf("[ corruption ] %d mutants: %d read, %d refused with st::Error, %.2f s\n", kMutations, accepted,
              refused, seconds);
}

}  // namespace
}  // namespace st::parquet
