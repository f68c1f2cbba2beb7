// Page compression codecs of Parquet (Compression.md): UNCOMPRESSED, SNAPPY, GZIP, ZSTD, and
// LZ4_RAW for reading. Thin wrappers over Debian's libsnappy, zlib and libzstd; the LZ4 block
// decoder is our own (liblz4-dev is not on the machine).
//
// Decompression always targets a buffer of the size the page header announces, so a hostile page
// can never make us allocate more than the caller decided to allow.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace st::parquet {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

// Values are those of parquet.thrift's CompressionCodec.
enum class Codec : std::int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // deprecated Hadoop-framed LZ4: refused
  kZstd = 6,
  kLz4Raw = 7,
};

// "ZSTD", "SNAPPY", ... ("codec 42" for values outside the enum).
std::string to_string(Codec codec);
// True for the codecs decompress() handles.
bool can_decompress(Codec codec);
// True for the codecs compress() handles (UNCOMPRESSED, SNAPPY, GZIP, ZSTD).
bool can_compress(Codec codec);

// Compresses `input`; `level` is used by ZSTD (1..22) and GZIP (1..9, 0 = zlib's default).
// Throws st::Error for a codec it cannot write.
Bytes compress(Codec codec, ByteSpan input, int level = 0);

// Decompresses `input` into exactly `output.size()` bytes. Throws st::Error (no location prefix:
// the caller adds the file and page) when the codec is not supported, the input is corrupt, or it
// decompresses to a different size.
void decompress(Codec codec, ByteSpan input, std::span<std::uint8_t> output);

// Raw LZ4 block format (no frame), as Parquet's LZ4_RAW. Exposed for tests.
void lz4_raw_decompress(ByteSpan input, std::span<std::uint8_t> output);

}  // namespace st::parquet
