// Parquet value and level encodings (Encodings.md): PLAIN, the RLE/bit-packing hybrid (levels,
// booleans, dictionary indices), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT, each with a decoder for the reader and an encoder for the writer and tests.
//
// Decoders take a byte span and a count of values the caller expects, check every length against
// the bytes that remain and throw st::Error without a location prefix (the reader adds the file,
// row group, column and page). Variable-length outputs take a byte budget so that a small hostile
// page cannot expand into unbounded memory (DELTA_BYTE_ARRAY prefixes, dictionary references).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "backend/parquet/codecs.h"

namespace st::parquet {

// ---- Byte-level primitives ----------------------------------------------------------------------

void put_uleb128(Bytes& out, std::uint64_t v);
void put_zigzag(Bytes& out, std::int64_t v);
void put_u32_le(Bytes& out, std::uint32_t v);

// Sequential reads from a span; every read checks the bytes that remain.
class ByteCursor {
 public:
  explicit ByteCursor(ByteSpan data) : data_(data) {}
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  std::uint8_t byte(const char* what);
  std::uint32_t u32_le(const char* what);
  std::uint64_t uleb128(const char* what);
  std::int64_t zigzag(const char* what);
  ByteSpan take(std::size_t n, const char* what);
  ByteSpan rest() { return take(remaining(), "rest"); }

 private:
  ByteSpan data_;
  std::size_t pos_ = 0;
};

// ---- Bit packing (LSB first, as the RLE/bit-packing hybrid) -------------------------------------

// Appends `values`, each `bit_width` (0..64) bits wide, packed LSB first; pads the last byte.
void bit_pack(Bytes& out, std::span<const std::uint64_t> values, int bit_width);
// Reads `out.size()` values of `bit_width` (0..64) bits from `in` starting at bit 0. `in` must hold
// at least ceil(out.size() * bit_width / 8) bytes (checked).
void bit_unpack(ByteSpan in, int bit_width, std::span<std::uint64_t> out);

// Number of bits needed for values up to max_value (0 for 0).
int bit_width_of(std::uint64_t max_value);

// ---- RLE / bit-packing hybrid (no length prefix) ------------------------------------------------

class RleDecoder {
 public:
  // bit_width in 0..32.
  RleDecoder(ByteSpan data, int bit_width);
  // Decodes exactly out.size() values; throws when the data ends first.
  void decode(std::span<std::uint32_t> out);
  std::size_t position() const { return cursor_.position(); }

 private:
  void next_run();
  ByteCursor cursor_;
  int bit_width_;
  std::uint64_t rle_left_ = 0;  // values left in the current RLE run
  std::uint32_t rle_value_ = 0;
  ByteSpan packed_;                // bytes left of the current bit-packed run
  std::uint64_t packed_left_ = 0;  // values left in them
  std::uint32_t group_[8] = {};    // a group decoded for a caller that wanted fewer than 8 values
  std::size_t group_pos_ = 0, group_len_ = 0;
};

// Encodes with RLE runs for repeats of 8 or more and bit-packed runs otherwise (groups of 8, the
// last group padded with zeros). bit_width in 0..32.
Bytes encode_rle(std::span<const std::uint32_t> values, int bit_width);
// Bit-packed runs only (tests use it to cover the bit-packed path).
Bytes encode_bit_packed_runs(std::span<const std::uint32_t> values, int bit_width);

// ---- PLAIN --------------------------------------------------------------------------------------

// Fixed-width little-endian values (int32, int64, float, double): appends `count` values.
template <class T>
void decode_plain(ByteSpan data, std::size_t count, std::vector<T>& out);
void decode_plain_boolean(ByteSpan data, std::size_t count, std::vector<std::uint8_t>& out);
// INT96 (legacy Impala/Spark timestamps) converted to nanoseconds since the epoch.
void decode_plain_int96(ByteSpan data, std::size_t count, std::vector<std::int64_t>& out);
// BYTE_ARRAY (4-byte length + bytes); FIXED_LEN_BYTE_ARRAY when fixed_length >= 0.
void decode_plain_bytes(ByteSpan data, std::size_t count, int fixed_length, std::size_t byte_budget,
                        std::vector<std::string>& out);

template <class T>
void encode_plain(Bytes& out, std::span<const T> values);
void encode_plain_boolean(Bytes& out, std::span<const std::uint8_t> values);
void encode_plain_bytes(Bytes& out, std::span<const std::string> values);

// ---- DELTA_BINARY_PACKED ------------------------------------------------------------------------

// Decodes exactly `count` values (the header's total must equal it); T is int32_t or int64_t.
// Returns the number of bytes the encoded block stream took.
template <class T>
std::size_t decode_delta_binary_packed(ByteSpan data, std::size_t count, std::vector<T>& out);
// Encodes with the given block size (a multiple of 128) and miniblocks per block (block / miniblocks
// a multiple of 32). value_bits 32 (INT32 columns: 32-bit wrapping deltas) or 64.
Bytes encode_delta_binary_packed(std::span<const std::int64_t> values, int value_bits = 64,
                                 std::size_t block_size = 128, std::size_t miniblocks = 4);

// ---- DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY --------------------------------------------------

// Returns the bytes consumed.
std::size_t decode_delta_length_byte_array(ByteSpan data, std::size_t count, std::size_t byte_budget,
                                           std::vector<std::string>& out);
void decode_delta_byte_array(ByteSpan data, std::size_t count, std::size_t byte_budget,
                             std::vector<std::string>& out);
Bytes encode_delta_length_byte_array(std::span<const std::string> values);
Bytes encode_delta_byte_array(std::span<const std::string> values);

// ---- BYTE_STREAM_SPLIT --------------------------------------------------------------------------

// `data` must be exactly count * width bytes; writes count * width bytes of values back together.
void decode_byte_stream_split(ByteSpan data, std::size_t count, std::size_t width, std::uint8_t* out);
Bytes encode_byte_stream_split(ByteSpan values, std::size_t width);

}  // namespace st::parquet
