#include "backend/parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include "backend/core/diagnostics.h"

namespace st::parquet::thrift {
namespace {

std::string error_of(const Bytes& bytes) {
  try {
    decode_file_metadata(bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

FileMetaData sample_metadata() {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 2;
  SchemaElement ts;
  ts.name = "timestamp";
  ts.type = PhysicalType::kInt64;
  ts.repetition_type = Repetition::kRequired;
  LogicalType lt;
  lt.kind = LogicalType::Kind::kTimestamp;
  lt.adjusted_to_utc = true;
  lt.unit = TimeUnit::kMicros;
  ts.logical_type = lt;
  ts.converted_type = ConvertedType::kTimestampMicros;
  SchemaElement name;
  name.name = "name";
  name.type = PhysicalType::kByteArray;
  name.repetition_type = Repetition::kOptional;
  LogicalType dec;
  dec.kind = LogicalType::Kind::kDecimal;
  dec.decimal_scale = 2;
  dec.decimal_precision = 9;
  name.logical_type = dec;
  m.schema = {root, ts, name};
  m.num_rows = 1234567890123LL;
  RowGroup g;
  g.num_rows = m.num_rows;
  g.total_byte_size = 99;
  g.ordinal = 0;
  for (int c = 0; c < 2; ++c) {
    ColumnChunk chunk;
    ColumnMetaData md;
    md.type = c == 0 ? PhysicalType::kInt64 : PhysicalType::kByteArray;
    md.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
    md.path_in_schema = {c == 0 ? "timestamp" : "name"};
    md.codec = Codec::kZstd;
    md.num_values = m.num_rows;
    md.total_compressed_size = 1000 + c;
    md.total_uncompressed_size = 2000 + c;
    md.data_page_offset = 4 + c * 1000;
    md.dictionary_page_offset = 4;
    Statistics s;
    s.min_value = std::string("\x01\x02", 2);
    s.max_value = std::string(300, 'z');  // a length that needs a two-byte varint
    s.null_count = 0;
    md.statistics = s;
    md.encoding_stats = {{PageType::kDataPage, Encoding::kPlain, 17}};
    chunk.meta_data = md;
    g.columns.push_back(chunk);
  }
  m.row_groups = {g};
  m.key_value_metadata = {{"key", std::string("value")}, {"novalue", std::nullopt}};
  m.created_by = "s1mpletrader version 0.1.0";
  m.column_orders = {1, 1};
  return m;
}

TEST(ThriftCompact, FileMetaDataRoundTrips) {
  const FileMetaData m = sample_metadata();
  const FileMetaData d = decode_file_metadata(encode_file_metadata(m));
  ASSERT_EQ(d.schema.size(), 3u);
  EXPECT_EQ(d.schema[1].name, "timestamp");
  ASSERT_TRUE(d.schema[1].logical_type);
  EXPECT_EQ(d.schema[1].logical_type->kind, LogicalType::Kind::kTimestamp);
  EXPECT_EQ(d.schema[1].logical_type->unit, TimeUnit::kMicros);
  EXPECT_TRUE(d.schema[1].logical_type->adjusted_to_utc);
  EXPECT_EQ(d.schema[1].converted_type, ConvertedType::kTimestampMicros);
  EXPECT_EQ(d.schema[2].repetition_type, Repetition::kOptional);
  EXPECT_EQ(d.schema[2].logical_type->decimal_scale, 2);
  EXPECT_EQ(d.schema[2].logical_type->decimal_precision, 9);
  EXPECT_EQ(d.num_rows, 1234567890123LL);
  ASSERT_EQ(d.row_groups.size(), 1u);
  const auto& md = *d.row_groups[0].columns[1].meta_data;
  EXPECT_EQ(md.codec, Codec::kZstd);
  EXPECT_EQ(md.encodings,
            (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary}));
  EXPECT_EQ(md.path_in_schema, (std::vector<std::string>{"name"}));
  EXPECT_EQ(md.total_compressed_size, 1001);
  EXPECT_EQ(md.data_page_offset, 1004);
  EXPECT_EQ(md.dictionary_page_offset, 4);
  EXPECT_EQ(md.statistics->max_value, std::string(300, 'z'));
  EXPECT_EQ(md.statistics->null_count, 0);
  EXPECT_EQ(md.encoding_stats.size(), 1u);
  EXPECT_EQ(d.row_groups[0].ordinal, 0);
  EXPECT_EQ(d.key_value_metadata.size(), 2u);
  EXPECT_FALSE(d.key_value_metadata[1].value);
  EXPECT_EQ(d.created_by, "s1mpletrader version 0.1.0");
  EXPECT_EQ(d.column_orders, (std::vector<std::int16_t>{1, 1}));
}

TEST(ThriftCompact, PageHeadersRoundTrip) {
  PageHeader h;
  h.type = PageType::kDataPageV2;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 80;
  h.crc = -5;
  h.data_page_header_v2 =
      DataPageHeaderV2{10, 2, 10, Encoding::kDeltaBinaryPacked, 3, 0, false, std::nullopt};
  const Bytes bytes = encode_page_header(h);
  Bytes padded = bytes;
  padded.push_back(0xAB);  // page data follows the header
  std::size_t size = 0;
  const PageHeader d = decode_page_header(padded, size);
  EXPECT_EQ(size, bytes.size());
  EXPECT_EQ(d.type, PageType::kDataPageV2);
  EXPECT_EQ(d.crc, -5);
  ASSERT_TRUE(d.data_page_header_v2);
  EXPECT_EQ(d.data_page_header_v2->num_nulls, 2);
  EXPECT_EQ(d.data_page_header_v2->encoding, Encoding::kDeltaBinaryPacked);
  EXPECT_FALSE(d.data_page_header_v2->is_compressed);
}

TEST(ThriftCompact, UnknownFieldsOfEveryKindAreSkipped) {
  // A PageHeader with fields no reader knows, between and after the known ones: every wire type,
  // nested structs, lists of structs, sets, maps, long field-id jumps (absolute ids).
  CompactWriter w;
  w.begin_struct();
  w.field_i32(1, static_cast<std::int32_t>(PageType::kDataPage));
  w.field_i32(2, 10);
  w.field_i32(3, 10);
  w.field_struct(6);  // index_page_header (known to the spec, unused here)
  w.field_double(1, 3.5);
  w.field_bool(2, true);
  w.field_list(3, WireType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.begin_struct();
    w.field_binary(1, "nested");
    w.field_struct(2);
    w.field_i64(1, -1);
    w.end_struct();
    w.end_struct();
  }
  w.field_map_header(4, 2, WireType::kBinary, WireType::kList);
  for (int i = 0; i < 2; ++i) {
    w.write_binary("k");
    w.write_raw(0x25);  // list of 2 i32
    w.write_i32(1);
    w.write_i32(-2);
  }
  w.field_map_header(5, 0, WireType::kStop, WireType::kStop);
  w.field_list(6, WireType::kBoolTrue, 3);
  w.write_bool_element(true);
  w.write_bool_element(false);
  w.write_bool_element(true);
  w.field_list(200, WireType::kI16, 20);  // long list header and an absolute field id
  for (int i = 0; i < 20; ++i) w.write_i32(i);
  w.end_struct();
  w.field_struct(5);
  w.field_i32(1, 10);
  w.field_i32(2, static_cast<std::int32_t>(Encoding::kPlain));
  w.field_i32(3, static_cast<std::int32_t>(Encoding::kRle));
  w.field_i32(4, static_cast<std::int32_t>(Encoding::kRle));
  w.field_i8(77, 1);
  w.end_struct();
  w.field_binary(1000, "a future field");
  w.field_i16(1001, 7);
  w.end_struct();
  std::size_t size = 0;
  const PageHeader d = decode_page_header(w.bytes(), size);
  EXPECT_EQ(size, w.bytes().size());
  ASSERT_TRUE(d.data_page_header);
  EXPECT_EQ(d.data_page_header->num_values, 10);
  EXPECT_EQ(d.compressed_page_size, 10);
}

TEST(ThriftCompact, DeepNestingIsRefused) {
  CompactWriter w;
  w.begin_struct();
  for (int i = 0; i < 100; ++i) w.field_struct(50);
  for (int i = 0; i < 100; ++i) w.end_struct();
  w.end_struct();
  const std::string e = error_of(w.bytes());
  EXPECT_NE(e.find("nested deeper than 32"), std::string::npos) << e;
  // Nested lists count too.
  Bytes lists = {0x19};                                  // field 1: list
  for (int i = 0; i < 1000; ++i) lists.push_back(0x19);  // list of 1 list, ...
  EXPECT_NE(error_of(lists).find("nested deeper"), std::string::npos) << error_of(lists);
}

TEST(ThriftCompact, MalformedBytesAreErrorsWithThePosition) {
  EXPECT_NE(error_of(Bytes{}).find("byte 0"), std::string::npos);
  EXPECT_NE(error_of(Bytes{0x15, 0x80, 0x80}).find("truncated varint"), std::string::npos)
      << error_of(Bytes{0x15, 0x80});
  Bytes long_varint = {0x16};
  for (int i = 0; i < 11; ++i) long_varint.push_back(0xff);
  EXPECT_NE(error_of(long_varint).find("longer than 10 bytes"), std::string::npos) << error_of(long_varint);
  // A list that claims more elements than there are bytes: refused before allocating.
  EXPECT_NE(error_of(Bytes{0x29, 0xfc, 0xff, 0xff, 0xff, 0x0f}).find("list of"), std::string::npos)
      << error_of(Bytes{0x29, 0xfc, 0xff, 0xff, 0xff, 0x0f});
  // A string longer than the rest.
  EXPECT_NE(error_of(Bytes{0x68, 0x7f, 'a'}).find("runs past the end"), std::string::npos)
      << error_of(Bytes{0x68, 0x7f, 'a'});
  // Unknown wire type 14.
  EXPECT_NE(error_of(Bytes{0x1e}).find("unknown field type 14"), std::string::npos) << error_of(Bytes{0x1e});
  // i32 out of range.
  EXPECT_NE(error_of(Bytes{0x15, 0xff, 0xff, 0xff, 0xff, 0x7f}).find("out of range"), std::string::npos);
  // A well-formed struct without the required fields.
  const std::string missing = error_of(Bytes{0x15, 0x02, 0x00});
  EXPECT_NE(missing.find("FileMetaData is missing its required field 2 (schema)"), std::string::npos)
      << missing;
  // A known list field with the wrong element type.
  const std::string wrong = error_of(Bytes{0x15, 0x02, 0x19, 0x15, 0x02});
  EXPECT_NE(wrong.find("list field 2 holds elements of type 5, expected type 12"), std::string::npos)
      << wrong;
}

TEST(ThriftCompact, EveryTruncationOfAValidFooterIsAnError) {
  const Bytes full = encode_file_metadata(sample_metadata());
  for (std::size_t n = 0; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(decode_file_metadata(cut), Error) << "length " << n;
  }
}

}  // namespace
}  // namespace st::parquet::thrift
