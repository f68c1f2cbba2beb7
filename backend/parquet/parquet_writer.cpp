#include "backend/parquet/parquet_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "backend/core/diagnostics.h"
#include "backend/parquet/encodings.h"
#include "backend/parquet/thrift_compact.h"

#ifndef ST_PROJECT_VERSION
#define ST_PROJECT_VERSION "0.1.0"
#endif

namespace st::parquet {

namespace {

constexpr std::size_t kMaxStatisticBytes = 4096;  // longer strings get no min/max (a valid choice)

// ---- Schema -------------------------------------------------------------------------------------

bool writable_type(PhysicalType t) {
  switch (t) {
    case PhysicalType::kBoolean:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64:
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
    case PhysicalType::kByteArray:
      return true;
    default:
      return false;
  }
}

thrift::SchemaElement schema_element(const ColumnSpec& c) {
  thrift::SchemaElement e;
  e.name = c.name;
  e.type = c.type;
  e.repetition_type = c.optional ? Repetition::kOptional : Repetition::kRequired;
  using K = thrift::LogicalType::Kind;
  thrift::LogicalType lt;
  const auto timestamp = [&](thrift::TimeUnit unit, std::optional<ConvertedType> converted) {
    lt.kind = K::kTimestamp;
    lt.adjusted_to_utc = c.utc;
    lt.unit = unit;
    e.logical_type = lt;
    // The legacy annotations mean UTC-adjusted instants; local times get the logical type only.
    if (c.utc && converted) e.converted_type = converted;
  };
  const std::string where = fmt::format("column \"{}\" ({})", c.name, to_string(c.type));
  const auto require_type = [&](std::initializer_list<PhysicalType> types) {
    if (std::find(types.begin(), types.end(), c.type) == types.end())
      throw Error(
          fmt::format("{}: logical type {} cannot annotate this physical type", where, to_string(c.logical)));
  };
  switch (c.logical) {
    case Logical::kNone:
      break;
    case Logical::kString:
      require_type({PhysicalType::kByteArray});
      lt.kind = K::kString;
      e.logical_type = lt;
      e.converted_type = ConvertedType::kUtf8;
      break;
    case Logical::kDate:
      require_type({PhysicalType::kInt32});
      lt.kind = K::kDate;
      e.logical_type = lt;
      e.converted_type = ConvertedType::kDate;
      break;
    case Logical::kTimestampMillis:
      require_type({PhysicalType::kInt64});
      timestamp(thrift::TimeUnit::kMillis, ConvertedType::kTimestampMillis);
      break;
    case Logical::kTimestampMicros:
      require_type({PhysicalType::kInt64});
      timestamp(thrift::TimeUnit::kMicros, ConvertedType::kTimestampMicros);
      break;
    case Logical::kTimestampNanos:
      require_type({PhysicalType::kInt64});
      timestamp(thrift::TimeUnit::kNanos, std::nullopt);  // no legacy annotation exists for nanoseconds
      break;
    case Logical::kInt: {
      const int width = c.type == PhysicalType::kInt64 ? 64 : 32;
      require_type({PhysicalType::kInt32, PhysicalType::kInt64});
      if ((c.int_bits != 8 && c.int_bits != 16 && c.int_bits != 32 && c.int_bits != 64) || c.int_bits > width)
        throw Error(fmt::format("{}: INTEGER bit width {} must be 8, 16, 32 (INT32) or 64 (INT64)", where,
                                c.int_bits));
      lt.kind = K::kInteger;
      lt.bit_width = static_cast<std::int8_t>(c.int_bits);
      lt.is_signed = c.int_signed;
      e.logical_type = lt;
      const int step = c.int_bits == 8 ? 0 : c.int_bits == 16 ? 1 : c.int_bits == 32 ? 2 : 3;
      e.converted_type = static_cast<ConvertedType>(
          (c.int_signed ? static_cast<int>(ConvertedType::kInt8) : static_cast<int>(ConvertedType::kUint8)) +
          step);
      break;
    }
    case Logical::kDecimal: {
      require_type({PhysicalType::kInt32, PhysicalType::kInt64});
      const int max_precision = c.type == PhysicalType::kInt32 ? 9 : 18;
      if (c.decimal_precision < 1 || c.decimal_precision > max_precision || c.decimal_scale < 0 ||
          c.decimal_scale > c.decimal_precision)
        throw Error(fmt::format("{}: DECIMAL({}, {}) needs precision 1..{} and scale 0..precision", where,
                                c.decimal_precision, c.decimal_scale, max_precision));
      lt.kind = K::kDecimal;
      lt.decimal_scale = c.decimal_scale;
      lt.decimal_precision = c.decimal_precision;
      e.logical_type = lt;
      e.converted_type = ConvertedType::kDecimal;
      e.scale = c.decimal_scale;
      e.precision = c.decimal_precision;
      break;
    }
    default:
      throw Error(
          fmt::format("{}: the writer cannot write logical type {}; expected none, STRING, DATE, TIMESTAMP, "
                      "INTEGER or DECIMAL",
                      where, to_string(c.logical)));
  }
  return e;
}

// ---- Values of each physical type ---------------------------------------------------------------

template <class T>
const std::vector<T>& values_of(const ColumnData& d) {
  if constexpr (std::is_same_v<T, std::uint8_t>)
    return d.boolean;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return d.i32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return d.i64;
  else if constexpr (std::is_same_v<T, float>)
    return d.f32;
  else if constexpr (std::is_same_v<T, double>)
    return d.f64;
  else
    return d.str;
}

// Dictionary keys: floating point by bit pattern (so -0.0, 0.0 and NaN payloads survive).
template <class T>
auto key_of(const T& v) {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<std::uint32_t>(v);
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<std::uint64_t>(v);
  else if constexpr (std::is_same_v<T, std::string>)
    return std::string_view(v);
  else
    return v;
}

template <class T>
std::size_t plain_size(const T& v) {
  if constexpr (std::is_same_v<T, std::string>)
    return 4 + v.size();
  else
    return sizeof(T);
}

template <class T>
void encode_plain_values(Bytes& out, std::span<const T> values) {
  if constexpr (std::is_same_v<T, std::uint8_t>)
    encode_plain_boolean(out, values);
  else if constexpr (std::is_same_v<T, std::string>)
    encode_plain_bytes(out, values);
  else
    encode_plain(out, values);
}

// A statistics value: PLAIN bytes, byte arrays without their length.
template <class T>
std::string stat_bytes(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else {
    std::string s(sizeof(T), '\0');
    std::memcpy(s.data(), &v, sizeof(T));
    return s;
  }
}

template <class T>
std::optional<thrift::Statistics> statistics_of(const ColumnSpec& spec, const std::vector<T>& values,
                                                const std::vector<std::uint8_t>& valid, std::size_t begin,
                                                std::size_t end) {
  thrift::Statistics s;
  std::int64_t nulls = 0;
  const T* lo = nullptr;
  const T* hi = nullptr;
  const bool is_unsigned = spec.logical == Logical::kInt && !spec.int_signed;
  const auto less = [&](const T& a, const T& b) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, std::uint8_t>) {
      if (is_unsigned)
        return static_cast<std::make_unsigned_t<T>>(a) < static_cast<std::make_unsigned_t<T>>(b);
    }
    return a < b;  // std::string compares as unsigned bytes, as byte arrays are ordered
  };
  for (std::size_t i = begin; i < end; ++i) {
    if (!valid.empty() && valid[i] == 0) {
      ++nulls;
      continue;
    }
    const T& v = values[i];
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) continue;  // min/max are of the non-NaN values
    }
    if (lo == nullptr || less(v, *lo)) lo = &v;
    if (hi == nullptr || less(*hi, v)) hi = &v;
  }
  s.null_count = nulls;
  if (lo != nullptr) {
    T min = *lo, max = *hi;
    if constexpr (std::is_floating_point_v<T>) {
      if (min == 0) min = -T{0};  // zeros: -0.0 as min and +0.0 as max (parquet.thrift ColumnOrder)
      if (max == 0) max = T{0};
    }
    if constexpr (std::is_same_v<T, std::string>) {
      if (min.size() > kMaxStatisticBytes || max.size() > kMaxStatisticBytes) return s;
    }
    s.min_value = stat_bytes(min);
    s.max_value = stat_bytes(max);
    // The deprecated fields, for old readers, where their signed order is the column's order.
    if (!std::is_same_v<T, std::string> && !is_unsigned) {
      s.min = s.min_value;
      s.max = s.max_value;
    }
  }
  return s;
}

// ---- File output --------------------------------------------------------------------------------

void sync_directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

struct TableWriter::Impl {
  std::string path, tmp_path;
  std::vector<ColumnSpec> columns;
  WriterOptions options;
  std::FILE* file = nullptr;
  std::uint64_t offset = 0;
  thrift::FileMetaData meta;
  std::int64_t rows = 0;
  bool closed = false;

  [[noreturn]] void fail(const std::string& msg) const { throw Error(fmt::format("{}: {}", path, msg)); }

  void write(ByteSpan bytes) {
    if (bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size())
      fail(fmt::format("write to {} failed: {}", tmp_path, std::strerror(errno)));
    offset += bytes.size();
  }

  void write_group(const std::vector<ColumnData>& data, std::size_t begin, std::size_t end) {
    thrift::RowGroup group;
    group.num_rows = static_cast<std::int64_t>(end - begin);
    group.file_offset = static_cast<std::int64_t>(offset);
    std::int64_t compressed = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const ColumnData& d = data[c];
      thrift::ColumnChunk chunk;
      switch (columns[c].type) {
        case PhysicalType::kBoolean:
          chunk = write_chunk(columns[c], d.boolean, d.valid, begin, end);
          break;
        case PhysicalType::kInt32:
          chunk = write_chunk(columns[c], d.i32, d.valid, begin, end);
          break;
        case PhysicalType::kInt64:
          chunk = write_chunk(columns[c], d.i64, d.valid, begin, end);
          break;
        case PhysicalType::kFloat:
          chunk = write_chunk(columns[c], d.f32, d.valid, begin, end);
          break;
        case PhysicalType::kDouble:
          chunk = write_chunk(columns[c], d.f64, d.valid, begin, end);
          break;
        default:
          chunk = write_chunk(columns[c], d.str, d.valid, begin, end);
          break;
      }
      group.total_byte_size += chunk.meta_data->total_uncompressed_size;
      compressed += chunk.meta_data->total_compressed_size;
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = compressed;
    if (meta.row_groups.size() <= static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max()))
      group.ordinal = static_cast<std::int16_t>(meta.row_groups.size());
    meta.row_groups.push_back(std::move(group));
    rows += static_cast<std::int64_t>(end - begin);
  }

  // Writes a page (header + compressed body); returns {uncompressed, compressed} bytes incl. header.
  std::pair<std::int64_t, std::int64_t> write_page(thrift::PageHeader header, const Bytes& body) {
    const Bytes packed =
        compress(options.codec, body, options.codec == Codec::kZstd ? options.zstd_level : 0);
    if (body.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
        packed.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      fail(fmt::format(
          "a page of {} bytes is larger than Parquet's 2 GiB page limit; lower WriterOptions::page_rows",
          body.size()));
    header.uncompressed_page_size = static_cast<std::int32_t>(body.size());
    header.compressed_page_size = static_cast<std::int32_t>(packed.size());
    const Bytes head = thrift::encode_page_header(header);
    write(head);
    write(packed);
    return {static_cast<std::int64_t>(head.size() + body.size()),
            static_cast<std::int64_t>(head.size() + packed.size())};
  }

  template <class T>
  thrift::ColumnChunk write_chunk(const ColumnSpec& spec, const std::vector<T>& values,
                                  const std::vector<std::uint8_t>& valid, std::size_t begin,
                                  std::size_t end) {
    const auto present = [&](std::size_t i) { return valid.empty() || valid[i] != 0; };
    thrift::ColumnMetaData md;
    md.type = spec.type;
    md.path_in_schema = {spec.name};
    md.codec = options.codec;
    md.num_values = static_cast<std::int64_t>(end - begin);

    // Dictionary: every distinct non-null value once, while it stays small enough.
    std::vector<T> dictionary;
    std::vector<std::uint32_t> indices;
    bool use_dictionary = options.dictionary && !std::is_same_v<T, std::uint8_t>;
    if (use_dictionary) {
      std::unordered_map<decltype(key_of(values[0])), std::uint32_t> index;
      std::size_t bytes = 0;
      for (std::size_t i = begin; i < end && use_dictionary; ++i) {
        if (!present(i)) continue;
        auto [it, inserted] =
            index.try_emplace(key_of(values[i]), static_cast<std::uint32_t>(dictionary.size()));
        if (inserted) {
          dictionary.push_back(values[i]);
          bytes += plain_size(values[i]);
          if (bytes > options.dictionary_max_bytes) use_dictionary = false;
        }
        indices.push_back(it->second);
      }
      if (dictionary.empty()) use_dictionary = false;
    }
    constexpr bool kFloating = std::is_same_v<T, float> || std::is_same_v<T, double>;
    constexpr bool kInteger = std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>;
    const bool split = kFloating && options.byte_stream_split && !use_dictionary;
    const bool delta =
        kInteger && spec.type != PhysicalType::kInt96 && options.delta_integers && !use_dictionary;
    const Encoding value_encoding = use_dictionary ? Encoding::kRleDictionary
                                    : split        ? Encoding::kByteStreamSplit
                                    : delta        ? Encoding::kDeltaBinaryPacked
                                                   : Encoding::kPlain;
    // The values of a page: PLAIN, PLAIN's bytes regrouped stream by stream, or deltas.
    std::vector<std::int64_t> wide;  // INT32 values widened for the delta encoder
    const auto put_values = [&](Bytes& body, std::span<const T> page) {
      if constexpr (kInteger) {
        if (delta) {
          std::span<const std::int64_t> values;
          if constexpr (std::is_same_v<T, std::int64_t>) {
            values = page;
          } else {
            wide.assign(page.begin(), page.end());
            values = wide;
          }
          const Bytes packed = encode_delta_binary_packed(values, static_cast<int>(sizeof(T) * 8));
          body.insert(body.end(), packed.begin(), packed.end());
          return;
        }
      }
      if (!split) return encode_plain_values<T>(body, page);
      Bytes plain;
      encode_plain_values<T>(plain, page);
      const Bytes streams = encode_byte_stream_split(plain, sizeof(T));
      body.insert(body.end(), streams.begin(), streams.end());
    };

    std::int64_t uncompressed_total = 0, compressed_total = 0;
    const auto add = [&](std::pair<std::int64_t, std::int64_t> sizes) {
      uncompressed_total += sizes.first;
      compressed_total += sizes.second;
    };
    int data_pages = 0;
    if (use_dictionary) {
      md.dictionary_page_offset = static_cast<std::int64_t>(offset);
      Bytes body;
      encode_plain_values<T>(body, dictionary);
      thrift::PageHeader h;
      h.type = PageType::kDictionaryPage;
      h.dictionary_page_header = thrift::DictionaryPageHeader{static_cast<std::int32_t>(dictionary.size()),
                                                              Encoding::kPlain, std::nullopt};
      add(write_page(h, body));
    }
    md.data_page_offset = static_cast<std::int64_t>(offset);
    // A dictionary of one entry still gets 1-bit indices: some readers mishandle bit width 0.
    const int index_width = std::max(1, bit_width_of(dictionary.empty() ? 0 : dictionary.size() - 1));
    std::size_t next_index = 0;
    std::vector<std::uint32_t> levels;
    std::vector<T> page_values;
    for (std::size_t page_begin = begin; page_begin < end; page_begin += options.page_rows) {
      const std::size_t page_end = std::min(end, page_begin + options.page_rows);
      Bytes body;
      if (spec.optional) {
        levels.clear();
        for (std::size_t i = page_begin; i < page_end; ++i) levels.push_back(present(i) ? 1 : 0);
        const Bytes rle = encode_rle(levels, 1);
        put_u32_le(body, static_cast<std::uint32_t>(rle.size()));
        body.insert(body.end(), rle.begin(), rle.end());
      }
      std::size_t count = 0;
      for (std::size_t i = page_begin; i < page_end; ++i) count += present(i) ? 1 : 0;
      if (use_dictionary) {
        body.push_back(static_cast<std::uint8_t>(index_width));
        const Bytes rle =
            encode_rle(std::span<const std::uint32_t>(indices).subspan(next_index, count), index_width);
        body.insert(body.end(), rle.begin(), rle.end());
        next_index += count;
      } else if (valid.empty()) {
        put_values(body, std::span<const T>(values).subspan(page_begin, page_end - page_begin));
      } else {
        page_values.clear();
        for (std::size_t i = page_begin; i < page_end; ++i)
          if (present(i)) page_values.push_back(values[i]);
        put_values(body, page_values);
      }
      thrift::PageHeader h;
      h.type = PageType::kDataPage;
      h.data_page_header = thrift::DataPageHeader{static_cast<std::int32_t>(page_end - page_begin), value_encoding,
                                                  Encoding::kRle, Encoding::kRle, std::nullopt};
      add(write_page(h, body));
      ++data_pages;
    }
    if (use_dictionary) {
      md.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
      md.encoding_stats = {{PageType::kDictionaryPage, Encoding::kPlain, 1},
                           {PageType::kDataPage, Encoding::kRleDictionary, data_pages}};
    } else {
      md.encodings = {value_encoding, Encoding::kRle};
      md.encoding_stats = {{PageType::kDataPage, value_encoding, data_pages}};
    }
    md.total_uncompressed_size = uncompressed_total;
    md.total_compressed_size = compressed_total;
    if (options.statistics) md.statistics = statistics_of(spec, values, valid, begin, end);
    thrift::ColumnChunk chunk;
    chunk.file_offset = 0;  // no ColumnMetaData outside the footer (parquet.thrift)
    chunk.meta_data = std::move(md);
    return chunk;
  }

  void check(const std::vector<ColumnData>& data) const {
    if (data.size() != columns.size())
      fail(fmt::format("write_row_group got {} columns, the table has {}", data.size(), columns.size()));
    const std::size_t n = data.empty() ? 0 : data[0].size();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const ColumnSpec& spec = columns[c];
      const ColumnData& d = data[c];
      const auto where = fmt::format("column {} ({})", c, spec.name);
      if (d.type != spec.type)
        fail(fmt::format("{}: data of type {}, the column is {}", where, to_string(d.type),
                         to_string(spec.type)));
      if (d.size() != n) fail(fmt::format("{}: {} rows, column 0 has {}", where, d.size(), n));
      if (!d.valid.empty() && d.valid.size() != n)
        fail(fmt::format("{}: {} validity flags for {} rows", where, d.valid.size(), n));
      if (!spec.optional && std::find(d.valid.begin(), d.valid.end(), 0) != d.valid.end())
        fail(fmt::format("{}: a null in a required column (row {})", where,
                         std::find(d.valid.begin(), d.valid.end(), 0) - d.valid.begin()));
      if (spec.type == PhysicalType::kByteArray)
        for (std::size_t i = 0; i < d.str.size(); ++i)
          if (d.str[i].size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
            fail(fmt::format("{}: row {} holds {} bytes, more than a Parquet byte array can", where, i,
                             d.str[i].size()));
    }
  }
};

TableWriter::TableWriter(std::string path, std::vector<ColumnSpec> columns, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = std::move(path);
  m.tmp_path = m.path + ".tmp";
  m.columns = std::move(columns);
  m.options = options;
  if (options.row_group_rows == 0) m.fail("WriterOptions::row_group_rows must be > 0");
  if (options.page_rows == 0 ||
      options.page_rows > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    m.fail("WriterOptions::page_rows must be in 1..2^31-1");
  if (!can_compress(options.codec))
    m.fail(fmt::format("cannot write {} compressed pages; expected UNCOMPRESSED, SNAPPY, GZIP or ZSTD",
                       to_string(options.codec)));
  if (m.columns.empty()) m.fail("a table needs at least one column");
  thrift::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<std::int32_t>(m.columns.size());
  m.meta.schema.push_back(root);
  std::set<std::string> names;
  for (const auto& c : m.columns) {
    if (c.name.empty()) m.fail("a column needs a name");
    if (!names.insert(c.name).second) m.fail(fmt::format("two columns are named \"{}\"", c.name));
    if (!writable_type(c.type))
      m.fail(fmt::format(
          "column \"{}\": the writer cannot write {}; expected BOOLEAN, INT32, INT64, FLOAT, DOUBLE or "
          "BYTE_ARRAY",
          c.name, to_string(c.type)));
    try {
      m.meta.schema.push_back(schema_element(c));
    } catch (const Error& e) {
      m.fail(e.what());
    }
    m.meta.column_orders.push_back(1);  // TYPE_ORDER
  }
  m.meta.version = 1;
  m.meta.created_by = "s1mpletrader version " ST_PROJECT_VERSION;
  m.file = std::fopen(m.tmp_path.c_str(), "wb");
  if (m.file == nullptr) m.fail(fmt::format("cannot create {}: {}", m.tmp_path, std::strerror(errno)));
  static const std::uint8_t magic[4] = {'P', 'A', 'R', '1'};
  m.write(magic);
}

TableWriter::~TableWriter() {
  if (impl_ && impl_->file != nullptr) {
    std::fclose(impl_->file);
    std::remove(impl_->tmp_path.c_str());
  }
}

void TableWriter::write_row_group(const std::vector<ColumnData>& columns) {
  Impl& m = *impl_;
  if (m.closed || m.file == nullptr) m.fail("write_row_group after close()");
  m.check(columns);
  const std::size_t n = columns.empty() ? 0 : columns[0].size();
  for (std::size_t begin = 0; begin < n; begin += m.options.row_group_rows)
    m.write_group(columns, begin, std::min(n, begin + m.options.row_group_rows));
}

void TableWriter::close() {
  Impl& m = *impl_;
  if (m.closed) return;
  if (m.file == nullptr) m.fail("close() after a failed write");
  m.meta.num_rows = m.rows;
  const Bytes footer = thrift::encode_file_metadata(m.meta);
  Bytes tail;
  put_u32_le(tail, static_cast<std::uint32_t>(footer.size()));
  tail.insert(tail.end(), {'P', 'A', 'R', '1'});
  m.write(footer);
  m.write(tail);
  const bool flushed = std::fflush(m.file) == 0 && ::fsync(::fileno(m.file)) == 0;
  const int err = errno;
  const bool closed = std::fclose(m.file) == 0;
  m.file = nullptr;
  if (!flushed || !closed) {
    std::remove(m.tmp_path.c_str());
    m.fail(fmt::format("cannot finish {}: {}", m.tmp_path, std::strerror(flushed ? errno : err)));
  }
  if (std::rename(m.tmp_path.c_str(), m.path.c_str()) != 0) {
    const int rename_err = errno;
    std::remove(m.tmp_path.c_str());
    m.fail(fmt::format("cannot rename {} to {}: {}", m.tmp_path, m.path, std::strerror(rename_err)));
  }
  sync_directory_of(m.path);
  m.closed = true;
}

std::int64_t TableWriter::rows_written() const { return impl_->rows; }

void write_parquet_bars(const std::string& path, BarSource& source, WriterOptions options) {
  Logical logical = Logical::kTimestampNanos;
  std::int64_t divisor = 1;
  switch (options.bar_time_unit) {
    case TimeUnit::kMillis:
      logical = Logical::kTimestampMillis;
      divisor = 1'000'000;
      break;
    case TimeUnit::kMicros:
      logical = Logical::kTimestampMicros;
      divisor = 1'000;
      break;
    case TimeUnit::kNanos:
      break;
    default:
      throw Error(fmt::format("{}: WriterOptions::bar_time_unit must be kMillis, kMicros or kNanos", path));
  }
  std::vector<ColumnSpec> specs(6);
  const char* names[6] = {"timestamp", "open", "high", "low", "close", "volume"};
  for (int i = 0; i < 6; ++i) {
    specs[static_cast<std::size_t>(i)].name = names[i];
    specs[static_cast<std::size_t>(i)].type = i == 0 ? PhysicalType::kInt64 : PhysicalType::kDouble;
  }
  specs[0].logical = logical;
  specs[0].utc = true;
  TableWriter writer(path, specs, options);
  std::vector<ColumnData> batch(6);
  batch[0].type = PhysicalType::kInt64;
  for (int i = 1; i < 6; ++i) batch[static_cast<std::size_t>(i)].type = PhysicalType::kDouble;
  const std::size_t reserve = std::min<std::size_t>(options.row_group_rows, 1 << 20);
  batch[0].i64.reserve(reserve);
  for (int i = 1; i < 6; ++i) batch[static_cast<std::size_t>(i)].f64.reserve(reserve);
  const auto flush = [&] {
    writer.write_row_group(batch);
    batch[0].i64.clear();
    for (int i = 1; i < 6; ++i) batch[static_cast<std::size_t>(i)].f64.clear();
  };
  Bar b;
  std::int64_t n = 0;
  while (source.next(b)) {
    ++n;
    if (b.time.ns % divisor != 0)
      throw Error(fmt::format(
          "{}: bar {} ({}) at {} ns is not a whole {}; set WriterOptions::bar_time_unit to a finer unit",
          path, n, source.name(), b.time.ns, divisor == 1'000'000 ? "millisecond" : "microsecond"));
    batch[0].i64.push_back(b.time.ns / divisor);
    batch[1].f64.push_back(b.open);
    batch[2].f64.push_back(b.high);
    batch[3].f64.push_back(b.low);
    batch[4].f64.push_back(b.close);
    batch[5].f64.push_back(b.volume);
    if (batch[0].i64.size() == options.row_group_rows) flush();
  }
  if (!batch[0].i64.empty()) flush();
  writer.close();
}

}  // namespace st::parquet
