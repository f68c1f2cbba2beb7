#include "backend/parquet/parquet_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"
#include "backend/parquet/encodings.h"

namespace st::parquet {

const char* to_string(Logical logical) {
  switch (logical) {
    case Logical::kNone:
      return "none";
    case Logical::kString:
      return "STRING";
    case Logical::kEnum:
      return "ENUM";
    case Logical::kJson:
      return "JSON";
    case Logical::kUuid:
      return "UUID";
    case Logical::kDate:
      return "DATE";
    case Logical::kTimeMillis:
      return "TIME(MILLIS)";
    case Logical::kTimeMicros:
      return "TIME(MICROS)";
    case Logical::kTimeNanos:
      return "TIME(NANOS)";
    case Logical::kTimestampMillis:
      return "TIMESTAMP(MILLIS)";
    case Logical::kTimestampMicros:
      return "TIMESTAMP(MICROS)";
    case Logical::kTimestampNanos:
      return "TIMESTAMP(NANOS)";
    case Logical::kInt:
      return "INTEGER";
    case Logical::kDecimal:
      return "DECIMAL";
    case Logical::kOther:
      return "other";
  }
  return "?";
}

namespace {

// Calls f with the vector of `data` that holds values of physical type `type` (see ColumnData).
template <class Data, class F>
decltype(auto) with_values(Data& data, PhysicalType type, F&& f) {
  switch (type) {
    case PhysicalType::kBoolean:
      return f(data.boolean);
    case PhysicalType::kInt32:
      return f(data.i32);
    case PhysicalType::kInt64:
    case PhysicalType::kInt96:
      return f(data.i64);
    case PhysicalType::kFloat:
      return f(data.f32);
    case PhysicalType::kDouble:
      return f(data.f64);
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      break;
  }
  return f(data.str);
}

}  // namespace

std::size_t ColumnData::size() const {
  return with_values(*this, type, [](const auto& values) { return values.size(); });
}

namespace {

// ---- File access --------------------------------------------------------------------------------

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// A byte buffer that is not zero-filled when it grows (pages are overwritten whole).
class Buffer {
 public:
  std::span<std::uint8_t> resize(std::size_t n) {
    if (n > capacity_) {
      data_ = std::make_unique_for_overwrite<std::uint8_t[]>(n);
      capacity_ = n;
    }
    size_ = n;
    return {data_.get(), n};
  }
  ByteSpan span() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t capacity_ = 0, size_ = 0;
};

void read_exact(int fd, std::uint64_t offset, std::span<std::uint8_t> out, const std::string& what) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t r = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("cannot read {}: {}", what, std::strerror(errno)));
    }
    if (r == 0) throw Error(fmt::format("the file ended while reading {} (was it truncated?)", what));
    done += static_cast<std::size_t>(r);
  }
}

std::string hex4(const std::uint8_t* p) {
  return fmt::format("{:02x} {:02x} {:02x} {:02x}", p[0], p[1], p[2], p[3]);
}

// ---- Schema -------------------------------------------------------------------------------------

Logical time_logical(thrift::TimeUnit unit, bool timestamp) {
  switch (unit) {
    case thrift::TimeUnit::kMillis:
      return timestamp ? Logical::kTimestampMillis : Logical::kTimeMillis;
    case thrift::TimeUnit::kMicros:
      return timestamp ? Logical::kTimestampMicros : Logical::kTimeMicros;
    case thrift::TimeUnit::kNanos:
      return timestamp ? Logical::kTimestampNanos : Logical::kTimeNanos;
  }
  return Logical::kOther;
}

void set_int(ColumnInfo& c, int bits, bool is_signed) {
  c.logical = Logical::kInt;
  c.int_bits = bits;
  c.int_signed = is_signed;
}

void apply_converted_type(const thrift::SchemaElement& e, ColumnInfo& c) {
  using C = ConvertedType;
  switch (*e.converted_type) {
    case C::kUtf8:
      c.logical = Logical::kString;
      break;
    case C::kEnum:
      c.logical = Logical::kEnum;
      break;
    case C::kJson:
      c.logical = Logical::kJson;
      break;
    case C::kDate:
      c.logical = Logical::kDate;
      break;
    case C::kTimeMillis:
      c.logical = Logical::kTimeMillis;
      break;
    case C::kTimeMicros:
      c.logical = Logical::kTimeMicros;
      break;
    case C::kTimestampMillis:
      c.logical = Logical::kTimestampMillis;
      break;
    case C::kTimestampMicros:
      c.logical = Logical::kTimestampMicros;
      break;
    case C::kDecimal:
      c.logical = Logical::kDecimal;
      c.decimal_scale = e.scale.value_or(0);
      c.decimal_precision = e.precision.value_or(0);
      break;
    case C::kUint8:
      set_int(c, 8, false);
      break;
    case C::kUint16:
      set_int(c, 16, false);
      break;
    case C::kUint32:
      set_int(c, 32, false);
      break;
    case C::kUint64:
      set_int(c, 64, false);
      break;
    case C::kInt8:
      set_int(c, 8, true);
      break;
    case C::kInt16:
      set_int(c, 16, true);
      break;
    case C::kInt32:
      set_int(c, 32, true);
      break;
    case C::kInt64:
      set_int(c, 64, true);
      break;
    default:
      c.logical = Logical::kOther;
      break;
  }
}

ColumnInfo column_info(const thrift::SchemaElement& e) {
  ColumnInfo c;
  c.name = e.name;
  c.type = *e.type;
  c.optional = e.repetition_type == Repetition::kOptional;
  c.type_length = e.type_length.value_or(0);
  if (e.logical_type) {
    const auto& lt = *e.logical_type;
    using K = thrift::LogicalType::Kind;
    switch (lt.kind) {
      case K::kString:
        c.logical = Logical::kString;
        break;
      case K::kEnum:
        c.logical = Logical::kEnum;
        break;
      case K::kJson:
        c.logical = Logical::kJson;
        break;
      case K::kUuid:
        c.logical = Logical::kUuid;
        break;
      case K::kDate:
        c.logical = Logical::kDate;
        break;
      case K::kTime:
      case K::kTimestamp:
        c.logical = time_logical(lt.unit, lt.kind == K::kTimestamp);
        c.utc = lt.adjusted_to_utc;
        break;
      case K::kInteger:
        c.logical = Logical::kInt;
        c.int_bits = lt.bit_width;
        c.int_signed = lt.is_signed;
        break;
      case K::kDecimal:
        c.logical = Logical::kDecimal;
        c.decimal_scale = lt.decimal_scale;
        c.decimal_precision = lt.decimal_precision;
        break;
      default:
        c.logical = Logical::kOther;
        break;
    }
  } else if (e.converted_type) {
    apply_converted_type(e, c);
  }
  if (c.type == PhysicalType::kInt96) {
    c.logical = Logical::kTimestampNanos;  // converted by the reader
    c.utc = true;
  }
  return c;
}

bool known_type(PhysicalType t) {
  const auto v = static_cast<std::int32_t>(t);
  return v >= 0 && v <= 7;
}

// Bytes one value takes in PLAIN encoding; 0 when unbounded (BYTE_ARRAY).
std::size_t plain_width(const ColumnInfo& c) {
  switch (c.type) {
    case PhysicalType::kBoolean:
      return 1;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return static_cast<std::size_t>(c.type_length);
    case PhysicalType::kByteArray:
      return 0;
  }
  return 0;
}

// ---- Column chunk decoding ----------------------------------------------------------------------

template <class T>
class ChunkDecoder {
 public:
  // `scratch` holds one decompressed page at a time; the reader lends it to every chunk it decodes.
  ChunkDecoder(const ColumnInfo& info, const ReaderLimits& limits, Codec codec, std::int64_t expected,
               std::vector<T>& values, std::vector<std::uint8_t>& valid, Buffer& scratch)
      : info_(info),
        limits_(limits),
        codec_(codec),
        expected_(expected),
        values_(values),
        valid_(valid),
        scratch_(scratch) {}

  std::int64_t values_read() const { return values_read_; }

  void page(const thrift::PageHeader& h, ByteSpan body) {
    switch (h.type) {
      case PageType::kDictionaryPage:
        return dictionary_page(h, body);
      case PageType::kDataPage:
        return data_page_v1(h, body);
      case PageType::kDataPageV2:
        return data_page_v2(h, body);
      default:
        return;  // index pages and page types of newer writers carry no values: skipped
    }
  }

 private:
  static constexpr bool kIsString = std::is_same_v<T, std::string>;

  void check_value_count(std::int64_t n, const char* what) {
    if (n < 0) throw Error(fmt::format("{} is {}; expected a count >= 0", what, n));
    const std::size_t per_value = sizeof(T);
    if (static_cast<std::uint64_t>(n) > limits_.max_page_bytes / per_value)
      throw Error(
          fmt::format("{} is {}: more than the {} values of {} bytes one page may decode to "
                      "(ReaderLimits::max_page_bytes)",
                      what, n, limits_.max_page_bytes / per_value, per_value));
  }

  // A page of n fixed-width values cannot need more than this many bytes, whatever the encoding.
  void check_uncompressed_size(std::int32_t size, std::int64_t n) {
    const std::size_t width = plain_width(info_);
    if (width == 0) return;
    const std::uint64_t most = (std::uint64_t{64} << 10) + static_cast<std::uint64_t>(n) * (width + 8);
    if (static_cast<std::uint64_t>(size) > most)
      throw Error(
          fmt::format("uncompressed_page_size {} is more than {} values of {} bytes can need (at most {})",
                      size, n, width, most));
  }

  ByteSpan uncompress(ByteSpan compressed, std::int64_t size) {
    if (size < 0 || static_cast<std::uint64_t>(size) > limits_.max_page_bytes)
      throw Error(fmt::format("uncompressed size {} is outside 0..{} (ReaderLimits::max_page_bytes)", size,
                              limits_.max_page_bytes));
    if (codec_ == Codec::kUncompressed) {
      if (compressed.size() != static_cast<std::size_t>(size))
        throw Error(
            fmt::format("page is UNCOMPRESSED but holds {} bytes where uncompressed_page_size says {}",
                        compressed.size(), size));
      return compressed;
    }
    decompress(codec_, compressed, scratch_.resize(static_cast<std::size_t>(size)));
    return scratch_.span();
  }

  void begin_data_page(std::int64_t n) {
    check_value_count(n, "num_values");
    if (values_read_ + n > expected_)
      throw Error(
          fmt::format("page holds {} values after {} already read, more than the {} of the column chunk", n,
                      values_read_, expected_));
  }

  void dictionary_page(const thrift::PageHeader& h, ByteSpan body) {
    if (!h.dictionary_page_header) throw Error("DICTIONARY_PAGE has no dictionary_page_header");
    if (have_dictionary_) throw Error("a second dictionary page; a column chunk has at most one");
    if (values_read_ > 0) throw Error("dictionary page after data pages; it must come first");
    const auto& d = *h.dictionary_page_header;
    if (d.encoding != Encoding::kPlain && d.encoding != Encoding::kPlainDictionary)
      throw Error(fmt::format("dictionary page in encoding {}; expected PLAIN or PLAIN_DICTIONARY",
                              to_string(d.encoding)));
    check_value_count(d.num_values, "dictionary num_values");
    check_uncompressed_size(h.uncompressed_page_size, d.num_values);
    const ByteSpan data = uncompress(body, h.uncompressed_page_size);
    dictionary_.clear();
    decode_plain_values(data, static_cast<std::size_t>(d.num_values), dictionary_, limits_.max_page_bytes);
    have_dictionary_ = true;
  }

  void data_page_v1(const thrift::PageHeader& h, ByteSpan body) {
    if (!h.data_page_header) throw Error("DATA_PAGE has no data_page_header");
    const auto& d = *h.data_page_header;
    begin_data_page(d.num_values);
    check_uncompressed_size(h.uncompressed_page_size, d.num_values);
    const auto n = static_cast<std::size_t>(d.num_values);
    ByteSpan data = uncompress(body, h.uncompressed_page_size);
    std::size_t present = n;
    if (info_.optional) {
      levels_.resize(n);
      if (d.definition_level_encoding == Encoding::kRle) {
        ByteCursor c(data);
        const std::uint32_t length = c.u32_le("definition levels length");
        RleDecoder(c.take(length, "definition levels"), 1).decode(levels_);
        data = data.subspan(c.position());
      } else if (d.definition_level_encoding == Encoding::kBitPacked) {
        const std::size_t bytes = (n + 7) / 8;
        if (bytes > data.size())
          throw Error(
              fmt::format("BIT_PACKED definition levels of {} values need {} bytes, the page holds {}", n,
                          bytes, data.size()));
        for (std::size_t i = 0; i < n; ++i) levels_[i] = (data[i / 8] >> (7 - i % 8)) & 1;  // MSB first
        data = data.subspan(bytes);
      } else {
        throw Error(fmt::format("definition levels in encoding {}; expected RLE or BIT_PACKED",
                                to_string(d.definition_level_encoding)));
      }
      present = static_cast<std::size_t>(std::count(levels_.begin(), levels_.end(), 1u));
    }
    decode_page_values(d.encoding, data, n, present);
  }

  void data_page_v2(const thrift::PageHeader& h, ByteSpan body) {
    if (!h.data_page_header_v2) throw Error("DATA_PAGE_V2 has no data_page_header_v2");
    const auto& d = *h.data_page_header_v2;
    begin_data_page(d.num_values);
    check_uncompressed_size(h.uncompressed_page_size, d.num_values);
    const auto n = static_cast<std::size_t>(d.num_values);
    if (d.num_nulls < 0 || d.num_nulls > d.num_values)
      throw Error(fmt::format("num_nulls {} outside 0..num_values {}", d.num_nulls, d.num_values));
    const std::int64_t levels =
        static_cast<std::int64_t>(d.definition_levels_byte_length) + d.repetition_levels_byte_length;
    if (d.definition_levels_byte_length < 0 || d.repetition_levels_byte_length < 0 ||
        levels > static_cast<std::int64_t>(body.size()) || levels > h.uncompressed_page_size)
      throw Error(
          fmt::format("level lengths {} + {} do not fit in the page ({} bytes compressed, {} uncompressed)",
                      d.repetition_levels_byte_length, d.definition_levels_byte_length, body.size(),
                      h.uncompressed_page_size));
    const ByteSpan def = body.subspan(static_cast<std::size_t>(d.repetition_levels_byte_length),
                                      static_cast<std::size_t>(d.definition_levels_byte_length));
    const ByteSpan packed = body.subspan(static_cast<std::size_t>(levels));
    const std::int64_t values_size = h.uncompressed_page_size - levels;
    ByteSpan data;
    if (d.is_compressed && codec_ != Codec::kUncompressed) {
      data = uncompress(packed, values_size);
    } else {
      if (packed.size() != static_cast<std::size_t>(values_size))
        throw Error(fmt::format("uncompressed values section holds {} bytes, the header says {}",
                                packed.size(), values_size));
      data = packed;
    }
    std::size_t present = n - static_cast<std::size_t>(d.num_nulls);
    if (info_.optional) {
      levels_.resize(n);
      RleDecoder(def, 1).decode(levels_);
      const auto ones = static_cast<std::size_t>(std::count(levels_.begin(), levels_.end(), 1u));
      if (ones != present)
        throw Error(
            fmt::format("num_nulls is {} but the definition levels hold {} nulls", d.num_nulls, n - ones));
    } else if (d.num_nulls != 0) {
      throw Error(fmt::format("num_nulls is {} in a required column", d.num_nulls));
    }
    decode_page_values(d.encoding, data, n, present);
  }

  // Decodes `present` values and places them in the n rows of the page.
  void decode_page_values(Encoding encoding, ByteSpan data, std::size_t n, std::size_t present) {
    const std::size_t budget = string_budget();
    const auto check_count = [&](std::size_t got) {
      if (got != present)
        throw Error(fmt::format("{} decoded {} values, expected {}", to_string(encoding), got, present));
    };
    if (!info_.optional) {
      const std::size_t before = values_.size();
      decode_values(encoding, data, present, values_, budget);
      check_count(values_.size() - before);
      count_strings(values_, before);
    } else {
      decoded_.clear();
      decode_values(encoding, data, present, decoded_, budget);
      check_count(decoded_.size());
      count_strings(decoded_, 0);
      std::size_t k = 0;
      for (std::size_t i = 0; i < n; ++i) {
        valid_.push_back(static_cast<std::uint8_t>(levels_[i]));
        if (levels_[i] != 0) {
          values_.push_back(std::move(decoded_[k++]));
        } else {
          values_.emplace_back();
        }
      }
    }
    values_read_ += static_cast<std::int64_t>(n);
  }

  std::size_t string_budget() const {
    if constexpr (kIsString) {
      return std::min(limits_.max_page_bytes, limits_.max_column_chunk_bytes -
                                                  std::min(limits_.max_column_chunk_bytes, string_bytes_));
    } else {
      return limits_.max_page_bytes;
    }
  }

  void count_strings(const std::vector<T>& v, std::size_t from) {
    if constexpr (kIsString) {
      for (std::size_t i = from; i < v.size(); ++i) string_bytes_ += v[i].size();
      if (string_bytes_ > limits_.max_column_chunk_bytes)
        throw Error(
            fmt::format("decoded strings exceed the {} bytes allowed for one column chunk (ReaderLimits)",
                        limits_.max_column_chunk_bytes));
    }
  }

  void decode_plain_values(ByteSpan data, std::size_t count, std::vector<T>& out, std::size_t budget) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
      decode_plain_boolean(data, count, out);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      if (info_.type == PhysicalType::kInt96) {
        decode_plain_int96(data, count, out);
      } else {
        decode_plain(data, count, out);
      }
    } else if constexpr (kIsString) {
      decode_plain_bytes(data, count, info_.type == PhysicalType::kFixedLenByteArray ? info_.type_length : -1,
                         budget, out);
    } else {
      decode_plain(data, count, out);
    }
  }

  void decode_dictionary_indices(ByteSpan data, std::size_t count, std::vector<T>& out, std::size_t budget) {
    if (!have_dictionary_)
      throw Error("the page is dictionary-encoded but the column chunk has no dictionary page");
    if (count == 0) return;
    ByteCursor c(data);
    const int width = c.byte("dictionary index bit width");
    if (width > 32) throw Error(fmt::format("dictionary index bit width {} exceeds 32", width));
    indices_.resize(count);
    RleDecoder(data.subspan(1), width).decode(indices_);
    out.reserve(out.size() + count);
    std::size_t used = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t index = indices_[i];
      if (index >= dictionary_.size())
        throw Error(
            fmt::format("dictionary index {} of value {} is out of range: the dictionary has {} entries",
                        index, i, dictionary_.size()));
      if constexpr (kIsString) {
        used += dictionary_[index].size();
        if (used > budget)
          throw Error(fmt::format(
              "dictionary values expand to more than the {} bytes allowed for one page (ReaderLimits)",
              budget));
      }
      out.push_back(dictionary_[index]);
    }
  }

  template <class U>
  void decode_split(ByteSpan data, std::size_t count, std::vector<U>& out) {
    const std::size_t start = out.size();
    if (count > data.size() / sizeof(U))
      throw Error(fmt::format("BYTE_STREAM_SPLIT: {} values of {} bytes need {} bytes, the page holds {}",
                              count, sizeof(U), count * sizeof(U), data.size()));
    out.resize(start + count);
    decode_byte_stream_split(data, count, sizeof(U), reinterpret_cast<std::uint8_t*>(out.data() + start));
  }

  void decode_values(Encoding encoding, ByteSpan data, std::size_t count, std::vector<T>& out,
                     std::size_t budget) {
    const bool int96 = info_.type == PhysicalType::kInt96;
    switch (encoding) {
      case Encoding::kPlain:
        return decode_plain_values(data, count, out, budget);
      case Encoding::kPlainDictionary:
      case Encoding::kRleDictionary:
        return decode_dictionary_indices(data, count, out, budget);
      default:
        break;
    }
    if constexpr (std::is_same_v<T, std::uint8_t>) {
      if (encoding == Encoding::kRle) {
        ByteCursor c(data);
        const std::uint32_t length = c.u32_le("RLE boolean length");
        indices_.resize(count);
        RleDecoder(c.take(length, "RLE booleans"), 1).decode(indices_);
        for (std::uint32_t v : indices_) out.push_back(static_cast<std::uint8_t>(v));
        return;
      }
    } else if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>) {
      if (encoding == Encoding::kDeltaBinaryPacked && !int96) {
        decode_delta_binary_packed(data, count, out);
        return;
      }
      if (encoding == Encoding::kByteStreamSplit && !int96) return decode_split(data, count, out);
    } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      if (encoding == Encoding::kByteStreamSplit) return decode_split(data, count, out);
    } else if constexpr (kIsString) {
      const bool fixed = info_.type == PhysicalType::kFixedLenByteArray;
      if (encoding == Encoding::kDeltaLengthByteArray && !fixed) {
        decode_delta_length_byte_array(data, count, budget, out);
        return;
      }
      if (encoding == Encoding::kDeltaByteArray) {
        const std::size_t start = out.size();
        decode_delta_byte_array(data, count, budget, out);
        if (fixed) {
          for (std::size_t i = start; i < out.size(); ++i)
            if (out[i].size() != static_cast<std::size_t>(info_.type_length))
              throw Error(
                  fmt::format("DELTA_BYTE_ARRAY value {} has {} bytes in a FIXED_LEN_BYTE_ARRAY({}) column",
                              i - start, out[i].size(), info_.type_length));
        }
        return;
      }
      if (encoding == Encoding::kByteStreamSplit && fixed) {
        const auto width = static_cast<std::size_t>(info_.type_length);
        if (count > data.size() / width)
          throw Error(fmt::format("BYTE_STREAM_SPLIT: {} values of {} bytes need {} bytes, the page holds {}",
                                  count, width, count * width, data.size()));
        Bytes joined(count * width);
        decode_byte_stream_split(data, count, width, joined.data());
        for (std::size_t i = 0; i < count; ++i)
          out.emplace_back(reinterpret_cast<const char*>(joined.data() + i * width), width);
        return;
      }
    }
    throw Error(fmt::format("encoding {} is not supported for {} columns", to_string(encoding),
                            to_string(info_.type)));
  }

  const ColumnInfo& info_;
  const ReaderLimits& limits_;
  Codec codec_;
  std::int64_t expected_;
  std::vector<T>& values_;
  std::vector<std::uint8_t>& valid_;
  std::int64_t values_read_ = 0;
  std::vector<T> dictionary_;
  bool have_dictionary_ = false;
  std::vector<T> decoded_;
  std::vector<std::uint32_t> levels_, indices_;
  Buffer& scratch_;
  std::size_t string_bytes_ = 0;
};

}  // namespace

// ---- FileReader ---------------------------------------------------------------------------------

struct FileReader::Impl {
  std::string path;
  ReaderLimits limits;
  Fd fd;
  std::uint64_t file_size = 0;
  std::uint64_t footer_start = 0;  // first byte of the footer; column data lies in [4, footer_start)
  thrift::FileMetaData meta;
  std::vector<ColumnInfo> columns;
  // Reused by every read: the compressed bytes of a column chunk, and one decompressed page.
  mutable Buffer chunk_buffer, page_scratch;

  [[noreturn]] void fail(const std::string& msg) const { throw Error(fmt::format("{}: {}", path, msg)); }

  void open() {
    fd = Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail(fmt::format("cannot open: {}", std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail(fmt::format("cannot stat: {}", std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) fail("not a regular file");
    file_size = static_cast<std::uint64_t>(st.st_size);
  }

  void read_footer() {
    if (file_size < 12)
      fail(
          fmt::format("not a Parquet file: {} bytes, fewer than the 12 of the magic, footer length and magic",
                      file_size));
    std::uint8_t head[4], tail[8];
    try {
      read_exact(fd.get(), 0, head, "the leading magic");
      read_exact(fd.get(), file_size - 8, tail, "the footer length");
    } catch (const Error& e) {
      fail(e.what());
    }
    if (std::memcmp(head, "PAR1", 4) != 0)
      fail(fmt::format("not a Parquet file: starts with bytes {}, expected \"PAR1\"", hex4(head)));
    if (std::memcmp(tail + 4, "PARE", 4) == 0)
      fail("the file is encrypted (footer magic \"PARE\"); encrypted files are not supported");
    if (std::memcmp(tail + 4, "PAR1", 4) != 0)
      fail(fmt::format("ends with bytes {}, expected the magic \"PAR1\" (truncated or not a Parquet file)",
                       hex4(tail + 4)));
    const std::uint64_t length =
        static_cast<std::uint64_t>(tail[0]) | (static_cast<std::uint64_t>(tail[1]) << 8) |
        (static_cast<std::uint64_t>(tail[2]) << 16) | (static_cast<std::uint64_t>(tail[3]) << 24);
    if (length > file_size - 12)
      fail(fmt::format("footer length {} exceeds the {} bytes between the magics (file size {})", length,
                       file_size - 12, file_size));
    if (length > limits.max_footer_bytes)
      fail(fmt::format("footer length {} exceeds the limit of {} bytes (ReaderLimits::max_footer_bytes)",
                       length, limits.max_footer_bytes));
    if (length == 0) fail("footer length is 0; expected a FileMetaData");
    footer_start = file_size - 8 - length;
    Bytes footer(static_cast<std::size_t>(length));
    const std::string where = fmt::format("footer ({} bytes at offset {})", length, footer_start);
    try {
      read_exact(fd.get(), footer_start, footer, where);
      meta = thrift::decode_file_metadata(footer, limits.max_thrift_depth);
    } catch (const Error& e) {
      fail(fmt::format("{}: {}", where, e.what()));
    }
    if (meta.encrypted)
      fail("footer: the file is encrypted (encryption_algorithm set); encrypted files are not supported");
  }

  void build_schema() {
    const auto& schema = meta.schema;
    if (schema.empty()) fail("footer: the schema is empty; expected a root element and columns");
    const auto& root = schema[0];
    if (root.type)
      fail(fmt::format("footer: the schema root \"{}\" is a primitive column; expected a group", root.name));
    for (std::size_t i = 1; i < schema.size(); ++i) {
      const auto& e = schema[i];
      if (e.num_children || !e.type)
        fail(fmt::format(
            "footer: column \"{}\" is a group (a nested struct, list or map); only flat schemas of primitive "
            "columns are supported",
            e.name));
      if (e.repetition_type == Repetition::kRepeated)
        fail(fmt::format(
            "footer: column \"{}\" is REPEATED (a list); only flat schemas of required and optional columns "
            "are supported",
            e.name));
      if (e.repetition_type && *e.repetition_type != Repetition::kOptional &&
          *e.repetition_type != Repetition::kRequired)
        fail(fmt::format("footer: column \"{}\" has unknown repetition type {}", e.name,
                         static_cast<std::int32_t>(*e.repetition_type)));
      if (!known_type(*e.type))
        fail(fmt::format("footer: column \"{}\" has unknown physical type {}", e.name,
                         static_cast<std::int32_t>(*e.type)));
      if (*e.type == PhysicalType::kFixedLenByteArray &&
          (!e.type_length || *e.type_length <= 0 ||
           static_cast<std::size_t>(*e.type_length) > limits.max_page_bytes))
        fail(fmt::format("footer: FIXED_LEN_BYTE_ARRAY column \"{}\" has type_length {}; expected 1..{}",
                         e.name, e.type_length.value_or(0), limits.max_page_bytes));
      columns.push_back(column_info(e));
    }
    if (root.num_children.value_or(0) != static_cast<std::int64_t>(columns.size()))
      fail(fmt::format("footer: the schema root says {} children, the schema lists {} columns",
                       root.num_children.value_or(0), columns.size()));
  }

  void check_row_groups() {
    std::int64_t total = 0;
    for (std::size_t g = 0; g < meta.row_groups.size(); ++g) {
      const auto& rg = meta.row_groups[g];
      if (rg.num_rows < 0) fail(fmt::format("footer: row group {} has num_rows {}", g, rg.num_rows));
      if (__builtin_add_overflow(total, rg.num_rows, &total))
        fail("footer: the row groups' num_rows overflow");
      if (rg.columns.size() != columns.size())
        fail(fmt::format("footer: row group {} has {} column chunks, the schema has {} columns", g,
                         rg.columns.size(), columns.size()));
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& cc = rg.columns[c];
        const auto where = fmt::format("footer: row group {}, column {} ({})", g, c, columns[c].name);
        if (cc.encrypted) fail(where + ": the column chunk is encrypted; encrypted files are not supported");
        if (cc.file_path)
          fail(fmt::format(
              "{}: the column chunk is in another file (\"{}\"); external column chunks are not supported",
              where, *cc.file_path));
        if (!cc.meta_data) fail(where + ": the column chunk has no meta_data");
        const auto& md = *cc.meta_data;
        if (md.type != columns[c].type)
          fail(fmt::format("{}: column chunk type {} differs from the schema's {}", where, to_string(md.type),
                           to_string(columns[c].type)));
        if (md.path_in_schema.size() != 1 || md.path_in_schema[0] != columns[c].name)
          fail(fmt::format("{}: path_in_schema is [{}], expected [{}]", where,
                           fmt::join(md.path_in_schema, ", "), columns[c].name));
        if (md.num_values < 0) fail(fmt::format("{}: num_values is {}", where, md.num_values));
      }
    }
    if (total != meta.num_rows)
      fail(fmt::format("footer: num_rows is {} but the row groups hold {} rows", meta.num_rows, total));
  }

  // The pages of one column chunk, read with pread through a window of the chunk's bytes: the
  // whole chunk at once (read_column), or a page at a time (ColumnPages, which keeps only one
  // page of a column in memory). Every size is checked before it is used.
  class PageStream {
   public:
    PageStream(const Impl& file, std::uint64_t start, std::uint64_t length, std::size_t window_hint,
               Buffer& window)
        : file_(file), start_(start), length_(length), hint_(window_hint), window_(window) {}

    bool at_end() const { return pos_ >= length_; }
    std::uint64_t offset() const { return start_ + pos_; }  // in the file, of the next page

    // The next page's header and compressed body (valid until the next call). At the end of
    // the chunk's bytes, the caller says what is missing.
    void next(thrift::PageHeader& h, ByteSpan& body) {
      std::size_t header_size = 0;
      for (std::uint64_t want = std::min<std::uint64_t>(length_ - pos_, 4096);; want *= 16) {
        const ByteSpan bytes = fill(std::min(want, length_ - pos_));
        try {
          h = thrift::decode_page_header(bytes, header_size, file_.limits.max_thrift_depth);
          break;
        } catch (const Error& e) {
          // A header longer than the bytes at hand reads as cut short: retry with more, up to
          // the end of the chunk, where the error is the file's.
          if (bytes.size() >= length_ - pos_)
            throw Error(fmt::format("page header at file offset {}: {}", offset(), e.what()));
        }
      }
      const std::uint64_t left = length_ - pos_ - header_size;
      if (h.compressed_page_size < 0 || static_cast<std::uint64_t>(h.compressed_page_size) > left)
        throw Error(
            fmt::format("compressed_page_size {} does not fit in the {} bytes left of the column chunk",
                        h.compressed_page_size, left));
      if (static_cast<std::size_t>(h.compressed_page_size) > file_.limits.max_page_bytes)
        throw Error(fmt::format(
            "compressed_page_size {} exceeds the limit of {} bytes (ReaderLimits::max_page_bytes)",
            h.compressed_page_size, file_.limits.max_page_bytes));
      if (h.uncompressed_page_size < 0 ||
          static_cast<std::size_t>(h.uncompressed_page_size) > file_.limits.max_page_bytes)
        throw Error(fmt::format("uncompressed_page_size {} is outside 0..{} (ReaderLimits::max_page_bytes)",
                                h.uncompressed_page_size, file_.limits.max_page_bytes));
      const std::size_t size = header_size + static_cast<std::size_t>(h.compressed_page_size);
      const ByteSpan page = fill(size);
      if (page.size() < size)  // fill gives at least what it is asked for; never read past it
        throw Error(fmt::format("page at file offset {}: {} bytes read of {}", offset(), page.size(), size));
      body = page.subspan(header_size, static_cast<std::size_t>(h.compressed_page_size));
      pos_ += size;
    }

   private:
    // At least `n` bytes of the chunk from pos_ (n <= what is left), read if not at hand.
    ByteSpan fill(std::uint64_t n) {
      if (pos_ < have_from_ || pos_ + n > have_from_ + have_) {
        const std::uint64_t read = std::min(length_ - pos_, std::max<std::uint64_t>(n, hint_));
        const auto bytes = window_.resize(static_cast<std::size_t>(read));
        read_exact(file_.fd.get(), start_ + pos_, bytes, "the column chunk");
        have_from_ = pos_;
        have_ = read;
      }
      return window_.span().subspan(static_cast<std::size_t>(pos_ - have_from_),
                                    static_cast<std::size_t>(have_from_ + have_ - pos_));
    }

    const Impl& file_;
    std::uint64_t start_, length_, pos_ = 0;
    std::uint64_t hint_;
    Buffer& window_;
    std::uint64_t have_from_ = 0, have_ = 0;
  };

  // Decodes pages of one column chunk into the vectors of `out` that match its type.
  struct PageDecoder {
    virtual ~PageDecoder() = default;
    virtual void page(const thrift::PageHeader& h, ByteSpan body) = 0;
    virtual std::int64_t values_read() const = 0;
  };
  template <class T>
  struct TypedPageDecoder final : PageDecoder {
    TypedPageDecoder(const ColumnInfo& info, const ReaderLimits& limits, Codec codec, std::int64_t expected,
                     std::vector<T>& values, std::vector<std::uint8_t>& valid, Buffer& scratch)
        : decoder(info, limits, codec, expected, values, valid, scratch) {}
    void page(const thrift::PageHeader& h, ByteSpan body) override { decoder.page(h, body); }
    std::int64_t values_read() const override { return decoder.values_read(); }
    ChunkDecoder<T> decoder;
  };

  std::unique_ptr<PageDecoder> page_decoder(const ColumnInfo& info, const thrift::ColumnMetaData& md,
                                            ColumnData& out) const {
    return with_values(out, info.type, [&]<class T>(std::vector<T>& values) -> std::unique_ptr<PageDecoder> {
      return std::make_unique<TypedPageDecoder<T>>(info, limits, md.codec, md.num_values, values, out.valid,
                                                   page_scratch);
    });
  }

  static void clear(ColumnData& out) {
    // Emptied, not freed: a reader decoding row group after row group reuses the same memory.
    out.boolean.clear();
    out.i32.clear();
    out.i64.clear();
    out.f32.clear();
    out.f64.clear();
    out.str.clear();
    out.valid.clear();
  }

  // Decodes the chunk's next data page (and any dictionary or index page before it) into `out`;
  // false when the chunk's values are all read. Errors: "WHERE, page P: ...".
  bool next_data_page(const std::string& where, const thrift::ColumnMetaData& md, PageStream& stream,
                      PageDecoder& decoder, int& page) const {
    while (decoder.values_read() < md.num_values) {
      try {
        if (stream.at_end())
          throw Error(fmt::format("the column chunk ends (total_compressed_size {}) after {} of its {} values",
                                  md.total_compressed_size, decoder.values_read(), md.num_values));
        thrift::PageHeader h;
        ByteSpan body;
        stream.next(h, body);
        decoder.page(h, body);
        ++page;
        if (h.type == PageType::kDataPage || h.type == PageType::kDataPageV2) return true;
      } catch (const Error& e) {
        throw Error(fmt::format("{}, page {}: {}", where, page, e.what()));
      }
    }
    return false;
  }

  // Checks a column chunk against the footer and the file; returns where its bytes lie.
  std::pair<std::uint64_t, std::uint64_t> chunk_bytes(const thrift::RowGroup& rg,
                                                      const thrift::ColumnMetaData& md) const {
    if (md.num_values != rg.num_rows)
      throw Error(fmt::format("the column chunk holds {} values, the row group has {} rows", md.num_values,
                              rg.num_rows));
    if (!can_decompress(md.codec))
      throw Error(fmt::format(
          "compression codec {} is not supported; expected UNCOMPRESSED, SNAPPY, GZIP, ZSTD or LZ4_RAW",
          to_string(md.codec)));
    std::int64_t start = md.data_page_offset;
    if (md.dictionary_page_offset && *md.dictionary_page_offset > 0)
      start = std::min(start, *md.dictionary_page_offset);
    const std::int64_t length = md.total_compressed_size;
    if (md.num_values == 0) return {static_cast<std::uint64_t>(std::max<std::int64_t>(start, 0)), 0};
    if (start < 4 || length <= 0 || static_cast<std::uint64_t>(start) > footer_start ||
        static_cast<std::uint64_t>(length) > footer_start - static_cast<std::uint64_t>(start))
      throw Error(fmt::format("column chunk bytes [{}, {}+{}) lie outside the data of the file, [4, {})",
                              start, start, length, footer_start));
    if (static_cast<std::uint64_t>(length) > limits.max_column_chunk_bytes)
      throw Error(fmt::format(
          "total_compressed_size {} exceeds the limit of {} bytes (ReaderLimits::max_column_chunk_bytes)",
          length, limits.max_column_chunk_bytes));
    return {static_cast<std::uint64_t>(start), static_cast<std::uint64_t>(length)};
  }

  // The chunk's values, decoded, must fit ReaderLimits::max_column_chunk_bytes.
  void check_decoded_size(const ColumnInfo& info, const thrift::ColumnMetaData& md) const {
    const auto n = static_cast<std::uint64_t>(md.num_values);
    static const ColumnData kNone;
    std::uint64_t per_row = with_values(kNone, info.type, [](const auto& values) {
      return sizeof(typename std::decay_t<decltype(values)>::value_type);
    });
    per_row += info.optional ? 1 : 0;
    if (n > limits.max_column_chunk_bytes / per_row)
      throw Error(fmt::format(
          "{} values of {} bytes exceed the {} bytes allowed for one decoded column chunk (ReaderLimits)", n,
          per_row, limits.max_column_chunk_bytes));
  }

  // "FILE: row group R, column C (name)", after checking that both exist.
  std::string where_of(int row_group, int column) const {
    if (row_group < 0 || static_cast<std::size_t>(row_group) >= meta.row_groups.size())
      throw Error(fmt::format("{}: row group {} does not exist; the file has {}", path, row_group,
                              meta.row_groups.size()));
    if (column < 0 || static_cast<std::size_t>(column) >= columns.size())
      throw Error(fmt::format("{}: column {} does not exist; the file has {}", path, column, columns.size()));
    return fmt::format("{}: row group {}, column {} ({})", path, row_group, column,
                       columns[static_cast<std::size_t>(column)].name);
  }

  // Runs f, giving every failure the form "WHERE: what is wrong" (`what`: what was being decoded).
  template <class F>
  static void within(const std::string& where, const char* what, F&& f) {
    try {
      f();
    } catch (const Error& e) {
      if (std::string_view(e.what()).starts_with(where)) throw;
      throw Error(fmt::format("{}: {}", where, e.what()));
    } catch (const std::bad_alloc&) {
      throw Error(fmt::format("{}: out of memory while decoding {}", where, what));
    } catch (const std::length_error& e) {
      throw Error(fmt::format("{}: a size is out of range while decoding {} ({})", where, what, e.what()));
    }
  }

  // Errors of a page come out whole ("WHERE, page P: ..."); others without the WHERE prefix.
  void read_chunk(int row_group, int column, const std::string& where, ColumnData& out) const {
    const auto& rg = meta.row_groups[static_cast<std::size_t>(row_group)];
    const auto& md = *rg.columns[static_cast<std::size_t>(column)].meta_data;
    const ColumnInfo& info = columns[static_cast<std::size_t>(column)];
    out.type = info.type;
    clear(out);
    const auto [start, length] = chunk_bytes(rg, md);
    if (md.num_values == 0) return;
    check_decoded_size(info, md);
    PageStream stream(*this, start, length, static_cast<std::size_t>(length), chunk_buffer);  // in one read
    const auto decoder = page_decoder(info, md, out);
    int page = 0;
    while (next_data_page(where, md, stream, *decoder, page)) {
    }
  }
};

// One column chunk being decoded page by page.
struct ColumnPages::State {
  const FileReader::Impl* file = nullptr;
  std::string where;
  const thrift::ColumnMetaData* md = nullptr;
  ColumnData data;
  Buffer window;
  std::unique_ptr<FileReader::Impl::PageStream> stream;
  std::unique_ptr<FileReader::Impl::PageDecoder> decoder;
  int page = 0;
};

ColumnPages::ColumnPages() = default;
ColumnPages::~ColumnPages() = default;
ColumnPages::ColumnPages(ColumnPages&&) noexcept = default;
ColumnPages& ColumnPages::operator=(ColumnPages&&) noexcept = default;

bool ColumnPages::next() {
  if (!state_ || !state_->stream) return false;
  State& s = *state_;
  FileReader::Impl::clear(s.data);
  bool more = false;
  s.file->within(s.where, "a page", [&] { more = s.file->next_data_page(s.where, *s.md, *s.stream, *s.decoder, s.page); });
  return more;
}

ColumnData& ColumnPages::data() { return state_->data; }

FileReader::FileReader(std::string path, ReaderLimits limits) : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  impl_->limits = limits;
  impl_->open();
  impl_->read_footer();
  impl_->build_schema();
  impl_->check_row_groups();
}

FileReader::~FileReader() = default;
FileReader::FileReader(FileReader&&) noexcept = default;
FileReader& FileReader::operator=(FileReader&&) noexcept = default;

const std::string& FileReader::path() const { return impl_->path; }
std::int64_t FileReader::num_rows() const { return impl_->meta.num_rows; }
int FileReader::num_row_groups() const { return static_cast<int>(impl_->meta.row_groups.size()); }
const std::vector<ColumnInfo>& FileReader::columns() const { return impl_->columns; }
const thrift::FileMetaData& FileReader::metadata() const { return impl_->meta; }

std::int64_t FileReader::row_group_num_rows(int row_group) const {
  if (row_group < 0 || row_group >= num_row_groups())
    throw Error(fmt::format("{}: row group {} does not exist; the file has {}", impl_->path, row_group,
                            num_row_groups()));
  return impl_->meta.row_groups[static_cast<std::size_t>(row_group)].num_rows;
}

int FileReader::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < impl_->columns.size(); ++i)
    if (impl_->columns[i].name == name) return static_cast<int>(i);
  return -1;
}

ColumnData FileReader::read_column(int row_group, int column) const {
  ColumnData out;
  read_column(row_group, column, out);
  return out;
}

void FileReader::read_column(int row_group, int column, ColumnData& out) const {
  const std::string where = impl_->where_of(row_group, column);
  impl_->within(where, "the column chunk", [&] { impl_->read_chunk(row_group, column, where, out); });
}

ColumnPages FileReader::read_pages(int row_group, int column) const {
  ColumnPages pages;
  pages.state_ = std::make_unique<ColumnPages::State>();
  auto& s = *pages.state_;
  s.file = impl_.get();
  s.where = impl_->where_of(row_group, column);
  const auto& rg = impl_->meta.row_groups[static_cast<std::size_t>(row_group)];
  s.md = &*rg.columns[static_cast<std::size_t>(column)].meta_data;
  const ColumnInfo& info = impl_->columns[static_cast<std::size_t>(column)];
  s.data.type = info.type;
  impl_->within(s.where, "the column chunk", [&] {
    const auto [start, length] = impl_->chunk_bytes(rg, *s.md);
    if (s.md->num_values == 0) return;
    impl_->check_decoded_size(info, *s.md);
    // Read 64 KiB at a time (or a page, when larger): a page's bytes, not the chunk's, in memory.
    s.stream = std::make_unique<FileReader::Impl::PageStream>(*impl_, start, length, std::size_t{64} << 10, s.window);
    s.decoder = impl_->page_decoder(info, *s.md, s.data);
  });
  return pages;
}

// ---- Bars ---------------------------------------------------------------------------------------

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const char* unit_name(TimeUnit u) {
  switch (u) {
    case TimeUnit::kAuto:
      return "auto";
    case TimeUnit::kSeconds:
      return "seconds";
    case TimeUnit::kMillis:
      return "milliseconds";
    case TimeUnit::kMicros:
      return "microseconds";
    case TimeUnit::kNanos:
      return "nanoseconds";
  }
  return "?";
}

}  // namespace

std::int64_t ns_per(TimeUnit u) {
  switch (u) {
    case TimeUnit::kSeconds:
      return kNsPerSecond;
    case TimeUnit::kMillis:
      return 1'000'000;
    case TimeUnit::kMicros:
      return 1'000;
    case TimeUnit::kNanos:
      return 1;
    case TimeUnit::kAuto:
      break;
  }
  return 0;
}

namespace {

class ParquetBarSource final : public BarSource {
 public:
  ParquetBarSource(const std::string& path, OhlcvMapping mapping, ReaderLimits limits)
      : reader_(path, limits), mapping_(std::move(mapping)) {
    const std::string* names[6] = {&mapping_.time, &mapping_.open,  &mapping_.high,
                                   &mapping_.low,  &mapping_.close, &mapping_.volume};
    for (int f = 0; f < 6; ++f) {
      column_[f] = find_column(*names[f], f);
      same_[f] = f;
      for (int g = f - 1; g >= 0; --g)
        if (column_[g] == column_[f]) same_[f] = g;
    }
    plan_time();
    for (int f = 1; f < 6; ++f) plan_price(f);
  }

  bool next(Bar& out) override {
    while (true) {
      if (pos_ >= segment_end_) {
        if (!refill()) return false;
        continue;
      }
      const std::size_t i = pos_++;
      const std::int64_t row = row_base_ + static_cast<std::int64_t>(i) + 1;
      double v[6] = {0};
      for (int f = 1; f < 6; ++f) v[f] = price_[f][i - begin_[f]];
      bool skip = false;
      for (int f = 0; f < 6 && !skip; ++f) {
        if (!valid_[f].empty() && valid_[f][i - begin_[f]] == 0) {
          if (mapping_.nulls == NullPolicy::kSkipRow) {
            skip = true;
          } else if (mapping_.nulls == NullPolicy::kFillPrevious && f > 0) {
            if (!have_previous_)
              fail(row, f,
                   "null in the first bar, with no previous bar to fill it from (OhlcvMapping::nulls)");
            v[f] = f == 1   ? previous_.open
                   : f == 2 ? previous_.high
                   : f == 3 ? previous_.low
                   : f == 4 ? previous_.close
                            : previous_.volume;
          } else {
            fail(row, f,
                 f == 0 ? "null time; expected a timestamp (rows with a null time can only be skipped: "
                          "OhlcvMapping::nulls = kSkipRow)"
                        : "null value; expected a number (OhlcvMapping::nulls is kRefuse)");
          }
        }
      }
      if (skip) continue;
      out.time = Timestamp{time_[i - begin_[0]]};
      out.open = v[1];
      out.high = v[2];
      out.low = v[3];
      out.close = v[4];
      out.volume = v[5];
      accept(out, row);
      return true;
    }
  }

  // Batches of decoded rows; a bad row ends the batch before it and is raised on the next call,
  // so the bars before it are replayed first, exactly as with next().
  std::span<const Bar> next_span(std::size_t max) override {
    if (pending_error_) std::rethrow_exception(std::exchange(pending_error_, nullptr));
    const std::size_t want = std::min(max, batch_.size());
    std::size_t n = 0;
    try {
      while (n < want) {
        if (pos_ < segment_end_ && no_nulls_) {
          // A segment without nulls: rows straight from the pages, each validated in order. A
          // usual row passes one expression against the time before it; any other row goes
          // through accept(), which names what is wrong, with previous_ brought up to date first
          // and the batch ending before it should it throw.
          const std::size_t from = pos_, first = n, count = std::min(want - n, segment_end_ - pos_);
          const std::int64_t* t = time_.data() + (from - begin_[0]);
          const double *o = price_[1].data() + (from - begin_[1]), *h = price_[2].data() + (from - begin_[2]),
                       *l = price_[3].data() + (from - begin_[3]), *c = price_[4].data() + (from - begin_[4]),
                       *v = price_[5].data() + (from - begin_[5]);
          Bar* out = batch_.data() + n;
          std::int64_t last = have_previous_ ? previous_.time.ns : std::numeric_limits<std::int64_t>::min();
          for (std::size_t k = 0; k < count; ++k) {
            Bar& b = out[k];
            b.time = Timestamp{t[k]};
            b.open = o[k];
            b.high = h[k];
            b.low = l[k];
            b.close = c[k];
            b.volume = v[k];
            if (plausible(b) && t[k] > last) [[likely]] {
              last = t[k];
              continue;
            }
            const auto row_of = [&](std::size_t j) { return row_base_ + static_cast<std::int64_t>(from + j) + 1; };
            if (k > 0) {
              previous_ = out[k - 1];
              previous_row_ = row_of(k - 1);
              have_previous_ = true;
            }
            pos_ = from + k + 1;  // as one row at a time: a bad row is consumed, the rows before it kept
            n = first + k;
            accept(b, row_of(k));
            last = t[k];
          }
          previous_ = out[count - 1];
          previous_row_ = row_base_ + static_cast<std::int64_t>(from + count);
          have_previous_ = true;
          pos_ = from + count;
          n = first + count;
        } else if (next(batch_[n])) {  // nulls to resolve, or the next pages to load
          ++n;
        } else {
          break;
        }
      }
    } catch (...) {
      if (n == 0) throw;
      pending_error_ = std::current_exception();
    }
    return {batch_.data(), n};
  }

  std::string name() const override { return reader_.path(); }

 private:
  std::vector<Bar> batch_ = std::vector<Bar>(256);
  std::exception_ptr pending_error_;
  enum class TimeKind { kScaledInt, kFloat, kIso };
  static constexpr const char* kField[6] = {"time", "open", "high", "low", "close", "volume"};

  [[noreturn]] void fail_file(const std::string& msg) const {
    throw Error(fmt::format("{}: {}", reader_.path(), msg));
  }
  [[noreturn]] void fail(std::int64_t row, int field, const std::string& msg) const {
    throw Error(fmt::format("{}: row {} (row group {}): {}: {}", reader_.path(), row, next_group_ - 1,
                            reader_.columns()[static_cast<std::size_t>(column_[field])].name, msg));
  }

  int find_column(const std::string& wanted, int field) const {
    const auto& cols = reader_.columns();
    if (const int i = reader_.column_index(wanted); i >= 0) return i;
    std::vector<std::string> candidates = {lower(wanted)};
    if (field == 0 && lower(wanted) == "timestamp")
      candidates.insert(candidates.end(), {"time", "date", "datetime"});
    for (const auto& candidate : candidates) {
      int found = -1, matches = 0;
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (lower(cols[i].name) == candidate) found = static_cast<int>(i), ++matches;
      if (matches == 1) return found;
    }
    std::vector<std::string> names;
    for (const auto& c : cols) names.push_back(c.name);
    const std::string hint = closest_match(wanted, names);
    fail_file(fmt::format("no column \"{}\" for the bar {} (OhlcvMapping::{}); the file has columns: {}{}",
                          wanted, kField[field], kField[field], fmt::join(names, ", "),
                          hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)));
  }

  const ColumnInfo& info(int field) const {
    return reader_.columns()[static_cast<std::size_t>(column_[field])];
  }

  void plan_time() {
    const ColumnInfo& c = info(0);
    const auto explain = [&](const std::string& why) {
      fail_file(fmt::format("time column \"{}\" ({}, logical type {}): {}", c.name, to_string(c.type),
                            to_string(c.logical), why));
    };
    const auto need_unit = [&] {
      if (mapping_.unit == TimeUnit::kAuto)
        explain("a bare number has no unit; set OhlcvMapping::unit to kSeconds, kMillis, kMicros or kNanos");
      time_scale_ = ns_per(mapping_.unit);
    };
    switch (c.type) {
      case PhysicalType::kInt64:
      case PhysicalType::kInt32:
      case PhysicalType::kInt96:
        time_kind_ = TimeKind::kScaledInt;
        switch (c.logical) {
          case Logical::kTimestampMillis:
            time_scale_ = 1'000'000;
            break;
          case Logical::kTimestampMicros:
            time_scale_ = 1'000;
            break;
          case Logical::kTimestampNanos:
            time_scale_ = 1;
            break;
          case Logical::kDate:
            time_scale_ = kNsPerDay;
            break;
          case Logical::kNone:
          case Logical::kInt:
            need_unit();
            break;
          default:
            explain("expected a TIMESTAMP, a DATE or a plain integer epoch");
        }
        return;
      case PhysicalType::kFloat:
      case PhysicalType::kDouble:
        time_kind_ = TimeKind::kFloat;
        need_unit();
        return;
      case PhysicalType::kByteArray:
        if (c.logical != Logical::kNone && c.logical != Logical::kString)
          explain("expected UTF8 ISO-8601 text");
        time_kind_ = TimeKind::kIso;
        return;
      default:
        explain("expected a TIMESTAMP, DATE, INT64/INT32/DOUBLE epoch or UTF8 ISO-8601 text");
    }
  }

  void plan_price(int f) {
    const ColumnInfo& c = info(f);
    const bool numeric = c.type == PhysicalType::kDouble || c.type == PhysicalType::kFloat ||
                         c.type == PhysicalType::kInt32 || c.type == PhysicalType::kInt64;
    const bool plain =
        c.logical == Logical::kNone || c.logical == Logical::kInt || c.logical == Logical::kDecimal;
    if (!numeric || !plain)
      fail_file(
          fmt::format("{} column \"{}\" is {} (logical type {}); expected DOUBLE, FLOAT, INT32 or INT64",
                      kField[f], c.name, to_string(c.type), to_string(c.logical)));
    if (c.logical == Logical::kDecimal && (c.decimal_scale < 0 || c.decimal_scale > 22))
      fail_file(fmt::format("{} column \"{}\" is DECIMAL with scale {}; expected a scale in 0..22", kField[f],
                            c.name, c.decimal_scale));
  }

  // Makes rows available at pos_: the next page of each column that has run out, or the next row
  // group. One page of each column is in memory, not the row group: a bar file's pages of 16,384
  // rows decode into ~0.75 MiB, which stays in cache beside the strategy, where its 131,072-row
  // groups took 6 MiB (docs/PERFORMANCE.md). False at the end of the file.
  bool refill() {
    while (true) {
      if (pos_ >= rows_) {
        if (next_group_ >= reader_.num_row_groups()) return false;
        open_group(next_group_++);
        continue;
      }
      std::size_t end = rows_;
      for (int f = 0; f < 6; ++f) {
        if (same_[f] != f) continue;  // a column serving two fields is read for the first
        while (begin_[f] + size_[f] <= pos_) load_page(f);
        end = std::min(end, begin_[f] + size_[f]);
      }
      segment_end_ = end;
      no_nulls_ = true;
      for (int f = 0; f < 6; ++f) no_nulls_ = no_nulls_ && valid_[f].empty();
      return true;
    }
  }

  void open_group(int group) {
    row_base_ += static_cast<std::int64_t>(rows_);
    pos_ = segment_end_ = 0;
    rows_ = static_cast<std::size_t>(reader_.row_group_num_rows(group));
    for (int f = 0; f < 6; ++f) {
      begin_[f] = size_[f] = 0;
      if (same_[f] == f) pages_[f] = reader_.read_pages(group, column_[f]);
    }
  }

  // The next page of field f's column, converted for f and every field that shares the column.
  void load_page(int f) {
    const std::size_t begin = begin_[f] + size_[f];
    if (!pages_[f].next())
      fail_file(fmt::format("row group {}: column \"{}\" ends after {} of the row group's {} rows",
                            next_group_ - 1, info(f).name, begin, rows_));
    ColumnData& col = pages_[f].data();
    const std::size_t n = col.size();
    // Swapped, not copied, when no other field needs the same values (the vectors keep their
    // capacity: after the first pages, streaming allocates nothing).
    for (int g = 5; g >= f; --g) {  // the sharers first, the field that owns the pages last
      if (same_[g] != f) continue;
      const bool last = g == f;  // (the time is field 0: always its own pages' owner)
      begin_[g] = begin;
      size_[g] = n;
      valid_[g] = col.valid;
      if (g == 0) {
        if (time_kind_ == TimeKind::kScaledInt && time_scale_ == 1 && col.type == PhysicalType::kInt64 &&
            col.valid.empty()) {
          time_.swap(col.i64);  // nanoseconds already: taken as they are
        } else {
          time_.assign(n, 0);
          convert_time(col, n, row_base_ + static_cast<std::int64_t>(begin) + 1);
        }
      } else {
        convert_price(col, g, n, last);
      }
    }
  }

  void convert_time(const ColumnData& col, std::size_t n, std::int64_t first_row) {
    for (std::size_t i = 0; i < n; ++i) {
      if (col.is_null(i)) continue;
      const std::int64_t row = first_row + static_cast<std::int64_t>(i);
      switch (time_kind_) {
        case TimeKind::kScaledInt: {
          const std::int64_t v = col.type == PhysicalType::kInt32 ? col.i32[i] : col.i64[i];
          if (__builtin_mul_overflow(v, time_scale_, &time_[i]))
            fail(row, 0, fmt::format("time {} is outside the range of int64 nanoseconds since 1970", v));
          break;
        }
        case TimeKind::kFloat: {
          const double v = col.type == PhysicalType::kFloat ? col.f32[i] : col.f64[i];
          const double whole = std::floor(v);
          const double ns = whole * static_cast<double>(time_scale_);
          if (!std::isfinite(v) || std::fabs(ns) > 9.2e18)
            fail(row, 0,
                 fmt::format("time {} {} is not a finite time within int64 nanoseconds", v,
                             unit_name(mapping_.unit)));
          time_[i] =
              static_cast<std::int64_t>(ns) + std::llround((v - whole) * static_cast<double>(time_scale_));
          break;
        }
        case TimeKind::kIso: {
          const std::string& s = col.str[i];
          auto t = parse_iso(s);
          if (!t && s.size() == 10) t = parse_iso(s + "T00:00:00Z");  // a bare date is midnight UTC
          if (!t)
            fail(row, 0,
                 fmt::format("expected an ISO-8601 UTC time like 2024-01-01T00:00:00Z, found \"{}\"",
                             s.size() > 40 ? s.substr(0, 40) + "..." : s));
          time_[i] = t->ns;
          break;
        }
      }
    }
  }

  // `take`: the decoded values may be swapped out of `col` (no other field reads them).
  void convert_price(ColumnData& col, int f, std::size_t n, bool take) {
    auto& out = price_[f];
    if (col.type == PhysicalType::kDouble) {
      if (take) {
        out.swap(col.f64);  // the decoded values are the prices: no copy
      } else {
        out.assign(col.f64.begin(), col.f64.end());
      }
      return;
    }
    out.assign(n, 0.0);
    const ColumnInfo& c = info(f);
    const double divisor = c.logical == Logical::kDecimal ? std::pow(10.0, c.decimal_scale) : 1.0;
    switch (col.type) {
      case PhysicalType::kFloat:
        for (std::size_t i = 0; i < n; ++i) out[i] = col.f32[i];
        break;
      case PhysicalType::kInt32:
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(col.i32[i]) / divisor;
        break;
      case PhysicalType::kInt64:
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(col.i64[i]) / divisor;
        break;
      default:
        break;
    }
  }

  // A bar that passes the checks becomes the previous bar (for fill_previous and the time order).
  void accept(const Bar& b, std::int64_t row) {
    validate(b, row);
    previous_ = b;
    previous_row_ = row;
    have_previous_ = true;
  }

  // The checks of validate() but the time order, in one expression (NaN fails every comparison;
  // high bounds the other prices).
  static bool plausible(const Bar& b) {
    constexpr double kMax = std::numeric_limits<double>::max();
    return b.low > 0 && b.high <= kMax && b.high >= b.low && b.high >= b.open && b.high >= b.close &&
           b.low <= b.open && b.low <= b.close && b.volume >= 0 && b.volume <= kMax;
  }

  void validate(const Bar& b, std::int64_t row) const {
    // The usual case first; anything else goes through the checks below, which name what is wrong.
    if (plausible(b) && (!have_previous_ || b.time > previous_.time)) return;
    const double v[6] = {0, b.open, b.high, b.low, b.close, b.volume};
    for (int f = 1; f < 6; ++f) {
      if (!std::isfinite(v[f])) fail(row, f, fmt::format("expected a finite number, found {}", v[f]));
      if (v[f] < 0) fail(row, f, fmt::format("expected a value >= 0, found {}", v[f]));
    }
    for (int f = 1; f < 5; ++f)
      if (v[f] <= 0) fail(row, f, fmt::format("expected a price > 0, found {}", v[f]));
    if (b.high < b.low) fail(row, 2, fmt::format("high {} is below low {}", b.high, b.low));
    if (b.high < std::max(b.open, b.close))
      fail(row, 2, fmt::format("high {} is below max(open, close) {}", b.high, std::max(b.open, b.close)));
    if (b.low > std::min(b.open, b.close))
      fail(row, 3, fmt::format("low {} is above min(open, close) {}", b.low, std::min(b.open, b.close)));
    if (have_previous_ && b.time <= previous_.time)
      fail(row, 0,
           fmt::format("{} {} the previous row's {} (row {}); rows must be strictly increasing in time",
                       format_iso(b.time), b.time == previous_.time ? "duplicates" : "is before",
                       format_iso(previous_.time), previous_row_));
  }

  FileReader reader_;
  OhlcvMapping mapping_;
  int column_[6] = {};
  TimeKind time_kind_ = TimeKind::kScaledInt;
  std::int64_t time_scale_ = 1;
  int same_[6] = {};  // the first field reading the same column (itself if none before it)
  // The current page of each field, converted: the group's rows [begin_[f], begin_[f] + size_[f]).
  ColumnPages pages_[6];  // of the fields f with same_[f] == f
  std::size_t begin_[6] = {}, size_[6] = {};
  std::vector<std::int64_t> time_;
  std::vector<double> price_[6];
  std::vector<std::uint8_t> valid_[6];  // ColumnData::valid of each field (empty: no nulls)
  bool no_nulls_ = false;               // every valid_ is empty in the current segment
  int next_group_ = 0;
  // Rows of the current group: pos_ is the next, rows before segment_end_ are in every page.
  std::size_t pos_ = 0, segment_end_ = 0, rows_ = 0;
  std::int64_t row_base_ = 0;
  Bar previous_;
  std::int64_t previous_row_ = 0;
  bool have_previous_ = false;
};

}  // namespace

std::unique_ptr<BarSource> open_parquet_bars(const std::string& path, OhlcvMapping mapping,
                                             ReaderLimits limits) {
  return std::make_unique<ParquetBarSource>(path, std::move(mapping), limits);
}

std::vector<Bar> read_parquet_bars(const std::string& path, OhlcvMapping mapping, ReaderLimits limits) {
  auto source = open_parquet_bars(path, std::move(mapping), limits);
  std::vector<Bar> bars;
  Bar b;
  while (source->next(b)) bars.push_back(b);
  return bars;
}

}  // namespace st::parquet
