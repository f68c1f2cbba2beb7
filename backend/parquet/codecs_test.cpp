#include "backend/parquet/codecs.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "backend/core/diagnostics.h"

namespace st::parquet {
namespace {

Bytes sample(std::size_t n, bool compressible) {
  Bytes b(n);
  std::mt19937 rng(42);
  for (std::size_t i = 0; i < n; ++i)
    b[i] = compressible ? static_cast<std::uint8_t>("abcabcabd"[i % 9]) : static_cast<std::uint8_t>(rng());
  return b;
}

Bytes decompressed(Codec codec, const Bytes& packed, std::size_t size) {
  Bytes out(size);
  decompress(codec, packed, out);
  return out;
}

TEST(Codecs, EveryWritableCodecRoundTrips) {
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    for (std::size_t n : {0u, 1u, 100u, 70000u}) {
      for (bool compressible : {true, false}) {
        const Bytes data = sample(n, compressible);
        const Bytes packed = compress(codec, data, codec == Codec::kZstd ? 3 : 0);
        EXPECT_EQ(decompressed(codec, packed, n), data) << to_string(codec) << " n=" << n;
        if (compressible && n > 1000 && codec != Codec::kUncompressed) {
          EXPECT_LT(packed.size(), n / 4) << to_string(codec);
        }
      }
    }
  }
}

TEST(Codecs, GzipOutputHasTheGzipHeader) {
  const Bytes packed = compress(Codec::kGzip, sample(100, true));
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(packed[0], 0x1f);
  EXPECT_EQ(packed[1], 0x8b);
}

TEST(Codecs, WrongSizesAndCorruptDataAreErrors) {
  const Bytes data = sample(5000, true);
  for (Codec codec : {Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    const Bytes packed = compress(codec, data);
    Bytes small(data.size() - 1), large(data.size() + 1);
    EXPECT_THROW(decompress(codec, packed, small), Error) << to_string(codec);
    EXPECT_THROW(decompress(codec, packed, large), Error) << to_string(codec);
    Bytes truncated(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(packed.size() / 2));
    Bytes out(data.size());
    EXPECT_THROW(decompress(codec, truncated, out), Error) << to_string(codec);
    Bytes garbage = sample(300, false);
    EXPECT_THROW(decompress(codec, garbage, out), Error) << to_string(codec);
  }
  Bytes out(3);
  EXPECT_THROW(decompress(Codec::kUncompressed, Bytes{1, 2}, out), Error);
}

TEST(Codecs, UnsupportedCodecsAreNamed) {
  Bytes out(4);
  try {
    decompress(Codec::kBrotli, Bytes{1, 2, 3}, out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("BROTLI"), std::string::npos) << e.what();
  }
  EXPECT_THROW(compress(Codec::kLz4Raw, Bytes{1}), Error);
  EXPECT_THROW(decompress(static_cast<Codec>(99), Bytes{1}, out), Error);
}

TEST(Codecs, Lz4RawDecodesLiteralsAndOverlappingMatches) {
  // "abc", then a match of 4 at offset 3 ("abca"), then the literals "xyzwv" (block format spec).
  const Bytes block = {0x30, 'a', 'b', 'c', 0x03, 0x00, 0x50, 'x', 'y', 'z', 'w', 'v'};
  Bytes out(12);
  lz4_raw_decompress(block, out);
  EXPECT_EQ(std::string(out.begin(), out.end()), "abcabcaxyzwv");
  // A literal length extended with 255-continuation bytes: 15 + 255 + 10 = 280 literals.
  Bytes long_block = {0xf0, 255, 10};
  for (int i = 0; i < 280; ++i) long_block.push_back(static_cast<std::uint8_t>(i));
  Bytes long_out(280);
  lz4_raw_decompress(long_block, long_out);
  EXPECT_EQ(long_out[279], static_cast<std::uint8_t>(279));
}

TEST(Codecs, Lz4RawRefusesBadOffsetsAndOverruns) {
  Bytes out(12);
  EXPECT_THROW(lz4_raw_decompress(Bytes{0x30, 'a', 'b', 'c', 0x00, 0x00, 0x50, 'x', 'y', 'z', 'w', 'v'}, out),
               Error);
  EXPECT_THROW(lz4_raw_decompress(Bytes{0x30, 'a', 'b', 'c', 0x09, 0x00, 0x50, 'x', 'y', 'z', 'w', 'v'}, out),
               Error);
  EXPECT_THROW(lz4_raw_decompress(Bytes{0x3f, 'a', 'b', 'c', 0x01, 0x00, 0xff, 0xff, 0xff}, out), Error);
  EXPECT_THROW(lz4_raw_decompress(Bytes{0x50, 'a', 'b'}, out), Error);
  EXPECT_THROW(lz4_raw_decompress(Bytes{}, out), Error);
  Bytes small(2);
  EXPECT_THROW(lz4_raw_decompress(Bytes{0x30, 'a', 'b', 'c'}, small), Error);
}

}  // namespace
}  // namespace st::parquet
