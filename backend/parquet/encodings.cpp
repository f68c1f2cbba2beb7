#include "backend/parquet/encodings.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "backend/core/diagnostics.h"

namespace st::parquet {

static_assert(std::endian::native == std::endian::little,
              "PLAIN decoding copies little-endian values as they are");

namespace {

std::uint64_t low_bits(int width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

std::uint64_t load_le64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

void check_budget(std::size_t used, std::size_t budget) {
  if (used > budget)
    throw Error(fmt::format("decoded strings need more than the {} bytes allowed for one page (ReaderLimits)",
                            budget));
}

}  // namespace

// ---- Byte-level primitives ----------------------------------------------------------------------

void put_uleb128(Bytes& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_zigzag(Bytes& out, std::int64_t v) {
  put_uleb128(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void put_u32_le(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint8_t ByteCursor::byte(const char* what) {
  if (pos_ >= data_.size()) throw Error(fmt::format("{}: data ends at byte {}", what, pos_));
  return data_[pos_++];
}

std::uint32_t ByteCursor::u32_le(const char* what) {
  if (remaining() < 4)
    throw Error(fmt::format("{}: need 4 bytes at byte {}, {} left", what, pos_, remaining()));
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}

std::uint64_t ByteCursor::uleb128(const char* what) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) throw Error(fmt::format("{}: truncated varint at byte {}", what, pos_));
    const std::uint8_t b = data_[pos_++];
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  throw Error(fmt::format("{}: varint longer than 10 bytes at byte {}", what, pos_));
}

std::int64_t ByteCursor::zigzag(const char* what) {
  const std::uint64_t v = uleb128(what);
  return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

ByteSpan ByteCursor::take(std::size_t n, const char* what) {
  if (n > remaining())
    throw Error(fmt::format("{}: need {} bytes at byte {}, only {} left", what, n, pos_, remaining()));
  ByteSpan s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

// ---- Bit packing --------------------------------------------------------------------------------

int bit_width_of(std::uint64_t max_value) { return max_value == 0 ? 0 : 64 - std::countl_zero(max_value); }

void bit_pack(Bytes& out, std::span<const std::uint64_t> values, int bit_width) {
  const std::size_t start = out.size();
  out.resize(start + (values.size() * static_cast<std::size_t>(bit_width) + 7) / 8, 0);
  std::uint64_t bit = 0;
  for (std::uint64_t v : values) {
    v &= low_bits(bit_width);
    for (int done = 0; done < bit_width;) {
      const int offset = static_cast<int>(bit & 7);
      const int take = std::min(8 - offset, bit_width - done);
      out[start + (bit >> 3)] |= static_cast<std::uint8_t>(((v >> done) & low_bits(take)) << offset);
      done += take;
      bit += static_cast<std::uint64_t>(take);
    }
  }
}

void bit_unpack(ByteSpan in, int bit_width, std::span<std::uint64_t> out) {
  if (bit_width < 0 || bit_width > 64) throw Error(fmt::format("bit width {} outside 0..64", bit_width));
  if (bit_width == 0) {
    std::fill(out.begin(), out.end(), 0);
    return;
  }
  const std::size_t need = (out.size() * static_cast<std::size_t>(bit_width) + 7) / 8;
  if (need > in.size())
    throw Error(fmt::format("{} values of {} bits need {} bytes, only {} left", out.size(), bit_width, need,
                            in.size()));
  const std::uint64_t mask = low_bits(bit_width);
  std::uint64_t bit = 0;
  for (auto& v : out) {
    const std::size_t byte = static_cast<std::size_t>(bit >> 3);
    const int offset = static_cast<int>(bit & 7);
    if (bit_width + offset <= 64 && byte + 8 <= in.size()) {
      v = (load_le64(in.data() + byte) >> offset) & mask;
    } else {
      std::uint64_t x = 0;
      std::uint64_t b = bit;
      for (int done = 0; done < bit_width;) {
        const int off = static_cast<int>(b & 7);
        const int take = std::min(8 - off, bit_width - done);
        x |= ((static_cast<std::uint64_t>(in[static_cast<std::size_t>(b >> 3)]) >> off) & low_bits(take))
             << done;
        done += take;
        b += static_cast<std::uint64_t>(take);
      }
      v = x;
    }
    bit += static_cast<std::uint64_t>(bit_width);
  }
}

// ---- RLE / bit-packing hybrid -------------------------------------------------------------------

RleDecoder::RleDecoder(ByteSpan data, int bit_width) : cursor_(data), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32)
    throw Error(fmt::format("RLE/bit-packed bit width {} outside 0..32", bit_width));
}

void RleDecoder::next_run() {
  const std::uint64_t header = cursor_.uleb128("RLE/bit-packed run header");
  if (header & 1) {
    const std::uint64_t groups = header >> 1;
    if (groups > (std::uint64_t{1} << 58))
      throw Error(fmt::format("bit-packed run of {} groups is out of range", groups));
    // A last run may stop short of its declared groups: take the bytes that are there.
    const std::uint64_t bytes =
        std::min<std::uint64_t>(groups * static_cast<std::uint64_t>(bit_width_), cursor_.remaining());
    packed_ = cursor_.take(static_cast<std::size_t>(bytes), "bit-packed run");
    packed_left_ = bit_width_ == 0 ? groups * 8
                                   : std::min<std::uint64_t>(
                                         groups * 8, bytes * 8 / static_cast<std::uint64_t>(bit_width_));
  } else {
    rle_left_ = header >> 1;
    const int value_bytes = (bit_width_ + 7) / 8;
    std::uint32_t v = 0;
    for (int i = 0; i < value_bytes; ++i)
      v |= static_cast<std::uint32_t>(cursor_.byte("RLE run value")) << (8 * i);
    if (bit_width_ < 32 && (v >> bit_width_) != 0)
      throw Error(fmt::format("RLE run value {} does not fit in the bit width {}", v, bit_width_));
    rle_value_ = v;
  }
}

void RleDecoder::decode(std::span<std::uint32_t> out) {
  const std::size_t width = static_cast<std::size_t>(bit_width_);
  std::uint64_t chunk[64];
  std::size_t i = 0;
  while (i < out.size()) {
    if (rle_left_ > 0) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(rle_left_, out.size() - i));
      std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(i), n, rle_value_);
      rle_left_ -= n;
      i += n;
      continue;
    }
    if (group_pos_ < group_len_) {
      out[i++] = group_[group_pos_++];
      continue;
    }
    if (packed_left_ > 0) {
      // Whole groups of 8 values start on byte boundaries (8 * width bits): unpack up to 8 at once.
      const std::size_t groups =
          static_cast<std::size_t>(std::min<std::uint64_t>({packed_left_ / 8, (out.size() - i) / 8, 8}));
      if (groups > 0) {
        bit_unpack(packed_, bit_width_, std::span<std::uint64_t>(chunk, groups * 8));
        for (std::size_t k = 0; k < groups * 8; ++k) out[i + k] = static_cast<std::uint32_t>(chunk[k]);
        packed_ = packed_.subspan(groups * width);
        packed_left_ -= groups * 8;
        i += groups * 8;
        continue;
      }
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(8, packed_left_));
      bit_unpack(packed_, bit_width_, std::span<std::uint64_t>(chunk, n));
      for (std::size_t k = 0; k < n; ++k) group_[k] = static_cast<std::uint32_t>(chunk[k]);
      group_pos_ = 0;
      group_len_ = n;
      packed_ = packed_.subspan(std::min(packed_.size(), width));
      packed_left_ -= n;
      continue;
    }
    if (cursor_.remaining() == 0)
      throw Error(fmt::format("RLE/bit-packed data ends after {} of {} values", i, out.size()));
    next_run();
  }
}

namespace {

void put_bit_packed_run(Bytes& out, std::span<const std::uint32_t> values, int bit_width) {
  if (values.empty()) return;
  const std::size_t groups = (values.size() + 7) / 8;
  put_uleb128(out, (static_cast<std::uint64_t>(groups) << 1) | 1);
  std::vector<std::uint64_t> wide(groups * 8, 0);
  std::copy(values.begin(), values.end(), wide.begin());
  bit_pack(out, wide, bit_width);
}

void put_rle_run(Bytes& out, std::uint32_t value, std::size_t count, int bit_width) {
  put_uleb128(out, static_cast<std::uint64_t>(count) << 1);
  for (int i = 0; i < (bit_width + 7) / 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

Bytes encode_rle(std::span<const std::uint32_t> values, int bit_width) {
  Bytes out;
  std::vector<std::uint32_t> literals;
  std::size_t i = 0;
  while (i < values.size()) {
    std::size_t run = 1;
    while (i + run < values.size() && values[i + run] == values[i]) ++run;
    // Literals are always whole groups of 8 here, so a run can start right after them.
    if (run >= 8) {
      put_bit_packed_run(out, literals, bit_width);
      literals.clear();
      put_rle_run(out, values[i], run, bit_width);
      i += run;
    } else {
      const std::size_t n = std::min<std::size_t>(8, values.size() - i);
      literals.insert(literals.end(), values.begin() + static_cast<std::ptrdiff_t>(i),
                      values.begin() + static_cast<std::ptrdiff_t>(i + n));
      i += n;
    }
  }
  put_bit_packed_run(out, literals, bit_width);
  return out;
}

Bytes encode_bit_packed_runs(std::span<const std::uint32_t> values, int bit_width) {
  Bytes out;
  put_bit_packed_run(out, values, bit_width);
  return out;
}

// ---- PLAIN --------------------------------------------------------------------------------------

template <class T>
void decode_plain(ByteSpan data, std::size_t count, std::vector<T>& out) {
  if (count > data.size() / sizeof(T))
    throw Error(fmt::format("PLAIN: {} values of {} bytes need {} bytes, the page holds {}", count, sizeof(T),
                            count * sizeof(T), data.size()));
  const std::size_t start = out.size();
  out.resize(start + count);
  if (count > 0) std::memcpy(out.data() + start, data.data(), count * sizeof(T));
}

template void decode_plain<std::int32_t>(ByteSpan, std::size_t, std::vector<std::int32_t>&);
template void decode_plain<std::int64_t>(ByteSpan, std::size_t, std::vector<std::int64_t>&);
template void decode_plain<float>(ByteSpan, std::size_t, std::vector<float>&);
template void decode_plain<double>(ByteSpan, std::size_t, std::vector<double>&);

void decode_plain_boolean(ByteSpan data, std::size_t count, std::vector<std::uint8_t>& out) {
  if ((count + 7) / 8 > data.size())
    throw Error(fmt::format("PLAIN: {} booleans need {} bytes, the page holds {}", count, (count + 7) / 8,
                            data.size()));
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) out.push_back((data[i / 8] >> (i % 8)) & 1);
}

void decode_plain_int96(ByteSpan data, std::size_t count, std::vector<std::int64_t>& out) {
  if (count > data.size() / 12)
    throw Error(fmt::format("PLAIN: {} INT96 values need {} bytes, the page holds {}", count, count * 12,
                            data.size()));
  constexpr std::int64_t kJulianEpochDay = 2440588;  // 1970-01-01
  constexpr std::int64_t kNsPerDay = 86400LL * 1'000'000'000LL;
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* p = data.data() + 12 * i;
    std::int64_t nanos;
    std::int32_t day;
    std::memcpy(&nanos, p, 8);
    std::memcpy(&day, p + 8, 4);
    std::int64_t ns;
    if (__builtin_mul_overflow(static_cast<std::int64_t>(day) - kJulianEpochDay, kNsPerDay, &ns) ||
        __builtin_add_overflow(ns, nanos, &ns))
      throw Error(fmt::format(
          "INT96 timestamp (julian day {}, {} ns) is outside the range of int64 nanoseconds", day, nanos));
    out.push_back(ns);
  }
}

void decode_plain_bytes(ByteSpan data, std::size_t count, int fixed_length, std::size_t byte_budget,
                        std::vector<std::string>& out) {
  ByteCursor c(data);
  std::size_t used = 0;
  if (fixed_length >= 0 && fixed_length > 0 && count > data.size() / static_cast<std::size_t>(fixed_length))
    throw Error(fmt::format("PLAIN: {} values of {} bytes need {} bytes, the page holds {}", count,
                            fixed_length, count * static_cast<std::size_t>(fixed_length), data.size()));
  if (fixed_length < 0 && count > data.size() / 4)
    throw Error(fmt::format("PLAIN: {} byte arrays need at least {} bytes of lengths, the page holds {}",
                            count, count * 4, data.size()));
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t n =
        fixed_length >= 0 ? static_cast<std::size_t>(fixed_length) : c.u32_le("PLAIN byte array length");
    const ByteSpan s = c.take(n, "PLAIN byte array");
    used += n;
    check_budget(used, byte_budget);
    out.emplace_back(reinterpret_cast<const char*>(s.data()), s.size());
  }
}

template <class T>
void encode_plain(Bytes& out, std::span<const T> values) {
  const std::size_t start = out.size();
  out.resize(start + values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data() + start, values.data(), values.size() * sizeof(T));
}

template void encode_plain<std::int32_t>(Bytes&, std::span<const std::int32_t>);
template void encode_plain<std::int64_t>(Bytes&, std::span<const std::int64_t>);
template void encode_plain<float>(Bytes&, std::span<const float>);
template void encode_plain<double>(Bytes&, std::span<const double>);

void encode_plain_boolean(Bytes& out, std::span<const std::uint8_t> values) {
  const std::size_t start = out.size();
  out.resize(start + (values.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i]) out[start + i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
}

void encode_plain_bytes(Bytes& out, std::span<const std::string> values) {
  for (const auto& s : values) {
    put_u32_le(out, static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
}

// ---- DELTA_BINARY_PACKED ------------------------------------------------------------------------

template <class T>
std::size_t decode_delta_binary_packed(ByteSpan data, std::size_t count, std::vector<T>& out) {
  constexpr int kMaxWidth = static_cast<int>(sizeof(T) * 8);
  ByteCursor c(data);
  const std::uint64_t block_size = c.uleb128("DELTA_BINARY_PACKED block size");
  const std::uint64_t miniblocks = c.uleb128("DELTA_BINARY_PACKED miniblock count");
  const std::uint64_t total = c.uleb128("DELTA_BINARY_PACKED value count");
  const std::int64_t first = c.zigzag("DELTA_BINARY_PACKED first value");
  if (block_size == 0 || block_size % 128 != 0 || block_size > (std::uint64_t{1} << 31))
    throw Error(fmt::format(
        "DELTA_BINARY_PACKED: block size {} is not a positive multiple of 128 (up to 2^31)", block_size));
  if (miniblocks == 0 || miniblocks > block_size || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0)
    throw Error(fmt::format(
        "DELTA_BINARY_PACKED: {} miniblocks do not split a block of {} into multiples of 32 values",
        miniblocks, block_size));
  if (total != count)
    throw Error(fmt::format("DELTA_BINARY_PACKED: header holds {} values, expected {}", total, count));
  if (count == 0) return c.position();
  const std::uint64_t per_miniblock = block_size / miniblocks;
  // Written in place; on an error the caller drops `out` with the exception.
  const std::size_t start = out.size();
  out.resize(start + count);
  T* dst = out.data() + start;
  *dst++ = static_cast<T>(first);
  std::uint64_t current = static_cast<std::uint64_t>(first);
  std::uint64_t left = count - 1;
  std::uint64_t chunk[256];
  while (left > 0) {
    const std::uint64_t min_delta = static_cast<std::uint64_t>(c.zigzag("DELTA_BINARY_PACKED min delta"));
    const ByteSpan widths =
        c.take(static_cast<std::size_t>(miniblocks), "DELTA_BINARY_PACKED miniblock bit widths");
    for (std::size_t m = 0; m < widths.size() && left > 0; ++m) {
      const int width = widths[m];
      if (width > kMaxWidth)
        throw Error(fmt::format("DELTA_BINARY_PACKED: miniblock bit width {} exceeds {} for this type", width,
                                kMaxWidth));
      const std::uint64_t n = std::min(per_miniblock, left);
      const std::uint64_t full_bytes = per_miniblock * static_cast<std::uint64_t>(width) / 8;
      const std::uint64_t needed = (n * static_cast<std::uint64_t>(width) + 7) / 8;
      if (needed > c.remaining())
        throw Error(
            fmt::format("DELTA_BINARY_PACKED: miniblock of {} values at {} bits needs {} bytes, {} left", n,
                        width, needed, c.remaining()));
      // The last miniblock should be padded to full length; accept writers that stop early.
      const ByteSpan body =
          c.take(static_cast<std::size_t>(std::min<std::uint64_t>(full_bytes, c.remaining())),
                 "DELTA_BINARY_PACKED miniblock");
      if (width == 0) {  // every delta is the minimum: evenly spaced values, e.g. bar times
        for (std::uint64_t j = 0; j < n; ++j) {
          current += min_delta;  // wraps in two's complement, as the spec asks
          *dst++ = static_cast<T>(current);
        }
      }
      for (std::uint64_t done = 0; width != 0 && done < n;) {
        const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(256, n - done));
        bit_unpack(body.subspan(static_cast<std::size_t>(done * static_cast<std::uint64_t>(width) / 8)),
                   width, std::span<std::uint64_t>(chunk, k));
        for (std::size_t j = 0; j < k; ++j) {
          current += min_delta + chunk[j];
          *dst++ = static_cast<T>(current);
        }
        done += k;
      }
      left -= n;
    }
  }
  return c.position();
}

template std::size_t decode_delta_binary_packed<std::int32_t>(ByteSpan, std::size_t,
                                                              std::vector<std::int32_t>&);
template std::size_t decode_delta_binary_packed<std::int64_t>(ByteSpan, std::size_t,
                                                              std::vector<std::int64_t>&);

Bytes encode_delta_binary_packed(std::span<const std::int64_t> values, int value_bits, std::size_t block_size,
                                 std::size_t miniblocks) {
  if (block_size == 0 || block_size % 128 != 0 || miniblocks == 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0)
    throw Error(
        fmt::format("DELTA_BINARY_PACKED: invalid block size {} / miniblocks {}", block_size, miniblocks));
  // Values of 32-bit columns are encoded with 32-bit wrapping deltas, so widths stay within 32.
  const bool narrow = value_bits == 32;
  Bytes out;
  put_uleb128(out, block_size);
  put_uleb128(out, miniblocks);
  put_uleb128(out, values.size());
  put_zigzag(out, values.empty() ? 0 : values[0]);
  if (values.size() <= 1) return out;
  const std::size_t per_miniblock = block_size / miniblocks;
  std::vector<std::int64_t> deltas;
  for (std::size_t i = 1; i < values.size(); ++i) {
    const std::uint64_t d = static_cast<std::uint64_t>(values[i]) - static_cast<std::uint64_t>(values[i - 1]);
    deltas.push_back(narrow ? static_cast<std::int32_t>(static_cast<std::uint32_t>(d))
                            : static_cast<std::int64_t>(d));
  }
  std::vector<std::uint64_t> relative(per_miniblock);
  for (std::size_t start = 0; start < deltas.size(); start += block_size) {
    const std::size_t end = std::min(deltas.size(), start + block_size);
    const std::int64_t min_delta = *std::min_element(deltas.begin() + static_cast<std::ptrdiff_t>(start),
                                                     deltas.begin() + static_cast<std::ptrdiff_t>(end));
    put_zigzag(out, min_delta);
    const std::size_t widths_at = out.size();
    out.resize(out.size() + miniblocks, 0);
    for (std::size_t m = 0; m < miniblocks; ++m) {
      const std::size_t from = start + m * per_miniblock;
      if (from >= end) break;
      const std::size_t to = std::min(end, from + per_miniblock);
      std::fill(relative.begin(), relative.end(), 0);
      std::uint64_t max_rel = 0;
      for (std::size_t i = from; i < to; ++i) {
        std::uint64_t rel = static_cast<std::uint64_t>(deltas[i]) - static_cast<std::uint64_t>(min_delta);
        if (narrow) rel &= 0xffffffffu;
        relative[i - from] = rel;
        max_rel = std::max(max_rel, rel);
      }
      const int width = bit_width_of(max_rel);
      out[widths_at + m] = static_cast<std::uint8_t>(width);
      bit_pack(out, relative, width);
    }
  }
  return out;
}

// ---- DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY --------------------------------------------------

std::size_t decode_delta_length_byte_array(ByteSpan data, std::size_t count, std::size_t byte_budget,
                                           std::vector<std::string>& out) {
  std::vector<std::int32_t> lengths;
  const std::size_t header = decode_delta_binary_packed(data, count, lengths);
  ByteCursor c(data.subspan(header));
  std::size_t used = 0;
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    if (lengths[i] < 0)
      throw Error(fmt::format("DELTA_LENGTH_BYTE_ARRAY: value {} has negative length {}", i, lengths[i]));
    const ByteSpan s = c.take(static_cast<std::size_t>(lengths[i]), "DELTA_LENGTH_BYTE_ARRAY value");
    used += s.size();
    check_budget(used, byte_budget);
    out.emplace_back(reinterpret_cast<const char*>(s.data()), s.size());
  }
  return header + c.position();
}

void decode_delta_byte_array(ByteSpan data, std::size_t count, std::size_t byte_budget,
                             std::vector<std::string>& out) {
  std::vector<std::int32_t> prefixes;
  const std::size_t header = decode_delta_binary_packed(data, count, prefixes);
  std::vector<std::string> suffixes;
  decode_delta_length_byte_array(data.subspan(header), count, byte_budget, suffixes);
  out.reserve(out.size() + count);
  std::string previous;
  std::size_t used = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (prefixes[i] < 0 || static_cast<std::size_t>(prefixes[i]) > previous.size())
      throw Error(
          fmt::format("DELTA_BYTE_ARRAY: value {} reuses a prefix of {} bytes, the previous value has {}", i,
                      prefixes[i], previous.size()));
    used += static_cast<std::size_t>(prefixes[i]) + suffixes[i].size();
    check_budget(used, byte_budget);
    std::string value = previous.substr(0, static_cast<std::size_t>(prefixes[i]));
    value += suffixes[i];
    previous = value;
    out.push_back(std::move(value));
  }
}

Bytes encode_delta_length_byte_array(std::span<const std::string> values) {
  std::vector<std::int64_t> lengths;
  for (const auto& s : values) lengths.push_back(static_cast<std::int64_t>(s.size()));
  Bytes out = encode_delta_binary_packed(lengths, 32);
  for (const auto& s : values) out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes encode_delta_byte_array(std::span<const std::string> values) {
  std::vector<std::int64_t> prefixes;
  std::vector<std::string> suffixes;
  std::string_view previous;
  for (const auto& s : values) {
    std::size_t p = 0;
    while (p < previous.size() && p < s.size() && previous[p] == s[p]) ++p;
    prefixes.push_back(static_cast<std::int64_t>(p));
    suffixes.push_back(s.substr(p));
    previous = s;
  }
  Bytes out = encode_delta_binary_packed(prefixes, 32);
  const Bytes rest = encode_delta_length_byte_array(suffixes);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// ---- BYTE_STREAM_SPLIT --------------------------------------------------------------------------

void decode_byte_stream_split(ByteSpan data, std::size_t count, std::size_t width, std::uint8_t* out) {
  if (width == 0 || count > data.size() / width || data.size() != count * width)
    throw Error(
        fmt::format("BYTE_STREAM_SPLIT: {} values of {} bytes need exactly {} bytes, the page holds {}",
                    count, width, count * width, data.size()));
  const std::uint8_t* s = data.data();
  std::size_t i = 0;
#if defined(__SSE2__)
  if (width == 8) {
    // Sixteen doubles a step: byte k of each from stream k, put together by a 16 x 8 byte
    // transpose (three rounds of interleaving: bytes, pairs, quads).
    const auto load = [&](std::size_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k * count + i)); };
    for (; i + 16 <= count; i += 16) {
      const __m128i a0 = load(0), a1 = load(1), a2 = load(2), a3 = load(3), a4 = load(4), a5 = load(5),
                    a6 = load(6), a7 = load(7);
      const __m128i t0 = _mm_unpacklo_epi8(a0, a1), t1 = _mm_unpackhi_epi8(a0, a1);
      const __m128i t2 = _mm_unpacklo_epi8(a2, a3), t3 = _mm_unpackhi_epi8(a2, a3);
      const __m128i t4 = _mm_unpacklo_epi8(a4, a5), t5 = _mm_unpackhi_epi8(a4, a5);
      const __m128i t6 = _mm_unpacklo_epi8(a6, a7), t7 = _mm_unpackhi_epi8(a6, a7);
      const __m128i u0 = _mm_unpacklo_epi16(t0, t2), u1 = _mm_unpackhi_epi16(t0, t2);
      const __m128i u2 = _mm_unpacklo_epi16(t1, t3), u3 = _mm_unpackhi_epi16(t1, t3);
      const __m128i u4 = _mm_unpacklo_epi16(t4, t6), u5 = _mm_unpackhi_epi16(t4, t6);
      const __m128i u6 = _mm_unpacklo_epi16(t5, t7), u7 = _mm_unpackhi_epi16(t5, t7);
      __m128i* o = reinterpret_cast<__m128i*>(out + 8 * i);
      _mm_storeu_si128(o + 0, _mm_unpacklo_epi32(u0, u4));
      _mm_storeu_si128(o + 1, _mm_unpackhi_epi32(u0, u4));
      _mm_storeu_si128(o + 2, _mm_unpacklo_epi32(u1, u5));
      _mm_storeu_si128(o + 3, _mm_unpackhi_epi32(u1, u5));
      _mm_storeu_si128(o + 4, _mm_unpacklo_epi32(u2, u6));
      _mm_storeu_si128(o + 5, _mm_unpackhi_epi32(u2, u6));
      _mm_storeu_si128(o + 6, _mm_unpacklo_epi32(u3, u7));
      _mm_storeu_si128(o + 7, _mm_unpackhi_epi32(u3, u7));
    }
  }
#endif
  for (; i < count; ++i)
    for (std::size_t k = 0; k < width; ++k) out[i * width + k] = s[k * count + i];
}

Bytes encode_byte_stream_split(ByteSpan values, std::size_t width) {
  if (width == 0 || values.size() % width != 0)
    throw Error(
        fmt::format("BYTE_STREAM_SPLIT: {} bytes are not whole values of {} bytes", values.size(), width));
  const std::size_t count = values.size() / width;
  Bytes out(values.size());
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t k = 0; k < width; ++k) out[k * count + i] = values[i * width + k];
  return out;
}

}  // namespace st::parquet
