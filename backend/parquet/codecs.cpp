#include "backend/parquet/codecs.h"

#include <fmt/format.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <cstring>
#include <limits>
#include <memory>

#include "backend/core/diagnostics.h"

namespace st::parquet {

namespace {

constexpr std::size_t kZlibMax = std::numeric_limits<uInt>::max();

void check_zlib_size(std::size_t n, const char* what) {
  if (n > kZlibMax) throw Error(fmt::format("GZIP: {} of {} bytes is too large for zlib", what, n));
}

Bytes gzip_compress(ByteSpan input, int level) {
  check_zlib_size(input.size(), "input");
  z_stream s{};
  // windowBits 15 + 16: a gzip wrapper, as Parquet's GZIP codec requires (RFC 1952).
  if (deflateInit2(&s, level == 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("GZIP: cannot initialise zlib's deflate");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&s, deflateEnd);
  Bytes out(deflateBound(&s, static_cast<uLong>(input.size())));
  check_zlib_size(out.size(), "output");
  s.next_in = const_cast<Bytef*>(input.data());
  s.avail_in = static_cast<uInt>(input.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  if (deflate(&s, Z_FINISH) != Z_STREAM_END) throw Error("GZIP: deflate did not finish");
  out.resize(s.total_out);
  return out;
}

void gzip_decompress(ByteSpan input, std::span<std::uint8_t> output) {
  check_zlib_size(input.size(), "input");
  check_zlib_size(output.size(), "output");
  z_stream s{};
  // windowBits 15 + 32: accept both gzip and zlib headers (old writers used zlib framing).
  if (inflateInit2(&s, 15 + 32) != Z_OK) throw Error("GZIP: cannot initialise zlib's inflate");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&s, inflateEnd);
  s.next_in = const_cast<Bytef*>(input.data());
  s.avail_in = static_cast<uInt>(input.size());
  std::uint8_t empty = 0;  // zlib refuses a null output pointer, even for 0 bytes
  s.next_out = output.empty() ? &empty : output.data();
  s.avail_out = static_cast<uInt>(output.size());
  while (true) {
    const int rc = inflate(&s, Z_FINISH);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one stream (RFC 1952 §2.2).
      if (s.avail_in > 0 && s.avail_out > 0) {
        if (inflateReset(&s) != Z_OK) throw Error("GZIP: cannot reset zlib's inflate");
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && s.avail_out == 0)
      throw Error(fmt::format("GZIP: data decompresses to more than the expected {} bytes", output.size()));
    if (rc == Z_BUF_ERROR)
      throw Error(fmt::format("GZIP: compressed data is truncated: {} of the expected {} bytes decompressed",
                              output.size() - s.avail_out, output.size()));
    if (rc != Z_OK)
      throw Error(fmt::format("GZIP: corrupt compressed data ({})", s.msg != nullptr ? s.msg : "zlib error"));
  }
  if (s.avail_out != 0)
    throw Error(fmt::format("GZIP: data decompresses to {} bytes, expected {}", output.size() - s.avail_out,
                            output.size()));
}

Bytes snappy_compress_bytes(ByteSpan input) {
  std::size_t n = snappy_max_compressed_length(input.size());
  Bytes out(n);
  if (snappy_compress(reinterpret_cast<const char*>(input.data()), input.size(),
                      reinterpret_cast<char*>(out.data()), &n) != SNAPPY_OK)
    throw Error("SNAPPY: compression failed");
  out.resize(n);
  return out;
}

void snappy_decompress(ByteSpan input, std::span<std::uint8_t> output) {
  std::size_t n = 0;
  const char* in = reinterpret_cast<const char*>(input.data());
  if (snappy_uncompressed_length(in, input.size(), &n) != SNAPPY_OK)
    throw Error("SNAPPY: corrupt compressed data (bad length preamble)");
  if (n != output.size())
    throw Error(fmt::format("SNAPPY: data says it decompresses to {} bytes, expected {}", n, output.size()));
  if (snappy_uncompress(in, input.size(), reinterpret_cast<char*>(output.data()), &n) != SNAPPY_OK ||
      n != output.size())
    throw Error("SNAPPY: corrupt compressed data");
}

// One compression and one decompression context per thread, reused: ZSTD_compress and
// ZSTD_decompress make a fresh one per call, megabytes of tables for compression and ~100 KiB for
// decompression, and on this VM touching fresh memory is slow (a page fault costs tens of
// microseconds): per page of a 16,384-row column that came to ~10 ns per bar of a backtest.
// Each call starts its frame afresh, so a context is reusable after an error too.
ZSTD_CCtx& zstd_cctx() {
  thread_local const std::unique_ptr<ZSTD_CCtx, std::size_t (*)(ZSTD_CCtx*)> ctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
  if (!ctx) throw Error("ZSTD: cannot allocate a compression context");
  return *ctx;
}

ZSTD_DCtx& zstd_dctx() {
  thread_local const std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) throw Error("ZSTD: cannot allocate a decompression context");
  return *ctx;
}

Bytes zstd_compress(ByteSpan input, int level) {
  Bytes out(ZSTD_compressBound(input.size()));
  const std::size_t n =
      ZSTD_compressCCtx(&zstd_cctx(), out.data(), out.size(), input.data(), input.size(), level == 0 ? 3 : level);
  if (ZSTD_isError(n)) throw Error(fmt::format("ZSTD: compression failed: {}", ZSTD_getErrorName(n)));
  out.resize(n);
  return out;
}

void zstd_decompress(ByteSpan input, std::span<std::uint8_t> output) {
  const std::size_t n = ZSTD_decompressDCtx(&zstd_dctx(), output.data(), output.size(), input.data(), input.size());
  if (ZSTD_isError(n)) {
    if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall)
      throw Error(fmt::format("ZSTD: data decompresses to more than the expected {} bytes", output.size()));
    throw Error(fmt::format("ZSTD: corrupt compressed data: {}", ZSTD_getErrorName(n)));
  }
  if (n != output.size())
    throw Error(fmt::format("ZSTD: data decompresses to {} bytes, expected {}", n, output.size()));
}

}  // namespace

std::string to_string(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kGzip:
      return "GZIP";
    case Codec::kLzo:
      return "LZO";
    case Codec::kBrotli:
      return "BROTLI";
    case Codec::kLz4:
      return "LZ4";
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kLz4Raw:
      return "LZ4_RAW";
  }
  return fmt::format("codec {}", static_cast<std::int32_t>(codec));
}

bool can_decompress(Codec codec) {
  return codec == Codec::kUncompressed || codec == Codec::kSnappy || codec == Codec::kGzip ||
         codec == Codec::kZstd || codec == Codec::kLz4Raw;
}

bool can_compress(Codec codec) {
  return codec == Codec::kUncompressed || codec == Codec::kSnappy || codec == Codec::kGzip ||
         codec == Codec::kZstd;
}

Bytes compress(Codec codec, ByteSpan input, int level) {
  switch (codec) {
    case Codec::kUncompressed:
      return Bytes(input.begin(), input.end());
    case Codec::kSnappy:
      return snappy_compress_bytes(input);
    case Codec::kGzip:
      return gzip_compress(input, level);
    case Codec::kZstd:
      return zstd_compress(input, level);
    default:
      break;
  }
  throw Error(fmt::format("cannot write {} compressed pages; expected UNCOMPRESSED, SNAPPY, GZIP or ZSTD",
                          to_string(codec)));
}

void decompress(Codec codec, ByteSpan input, std::span<std::uint8_t> output) {
  switch (codec) {
    case Codec::kUncompressed:
      if (input.size() != output.size())
        throw Error(
            fmt::format("uncompressed page holds {} bytes, expected {}", input.size(), output.size()));
      if (!input.empty()) std::memcpy(output.data(), input.data(), input.size());
      return;
    case Codec::kSnappy:
      return snappy_decompress(input, output);
    case Codec::kGzip:
      return gzip_decompress(input, output);
    case Codec::kZstd:
      return zstd_decompress(input, output);
    case Codec::kLz4Raw:
      return lz4_raw_decompress(input, output);
    default:
      break;
  }
  throw Error(fmt::format(
      "compression codec {} is not supported; expected UNCOMPRESSED, SNAPPY, GZIP, ZSTD or LZ4_RAW",
      to_string(codec)));
}

void lz4_raw_decompress(ByteSpan input, std::span<std::uint8_t> output) {
  std::size_t in = 0, out = 0;
  const std::size_t in_end = input.size(), out_end = output.size();
  // Reads an LZ4 length extension: bytes of 255 continue, the first other byte ends it.
  auto extend = [&](std::size_t& length) {
    while (true) {
      if (in >= in_end) throw Error("LZ4_RAW: truncated length");
      const std::uint8_t b = input[in++];
      length += b;
      if (length > out_end)
        throw Error(fmt::format("LZ4_RAW: a sequence runs past the expected {} bytes", out_end));
      if (b != 255) return;
    }
  };
  if (in_end == 0) {
    if (out_end != 0) throw Error(fmt::format("LZ4_RAW: empty input, expected {} bytes", out_end));
    return;
  }
  while (true) {
    if (in >= in_end) throw Error("LZ4_RAW: truncated block");
    const std::uint8_t token = input[in++];
    std::size_t literals = token >> 4;
    if (literals == 15) extend(literals);
    if (literals > in_end - in) throw Error("LZ4_RAW: literals run past the end of the input");
    if (literals > out_end - out)
      throw Error(fmt::format("LZ4_RAW: data decompresses to more than the expected {} bytes", out_end));
    if (literals > 0) std::memcpy(output.data() + out, input.data() + in, literals);
    in += literals;
    out += literals;
    if (in == in_end) break;  // the last sequence has literals only
    if (in_end - in < 2) throw Error("LZ4_RAW: truncated match offset");
    const std::size_t offset = input[in] | (static_cast<std::size_t>(input[in + 1]) << 8);
    in += 2;
    if (offset == 0 || offset > out)
      throw Error(fmt::format("LZ4_RAW: match offset {} outside the {} bytes decoded so far", offset, out));
    std::size_t match = token & 15;
    if (match == 15) extend(match);
    match += 4;
    if (match > out_end - out)
      throw Error(fmt::format("LZ4_RAW: data decompresses to more than the expected {} bytes", out_end));
    // Byte by byte: a match may overlap the bytes it produces (offset < length repeats a pattern).
    for (std::size_t i = 0; i < match; ++i, ++out) output[out] = output[out - offset];
  }
  if (out != out_end)
    throw Error(fmt::format("LZ4_RAW: data decompresses to {} bytes, expected {}", out, out_end));
}

}  // namespace st::parquet
