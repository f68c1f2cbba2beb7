#include "backend/parquet/encodings.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>

#include "backend/core/diagnostics.h"

namespace st::parquet {
namespace {

std::vector<std::uint32_t> rle_decode(const Bytes& data, int width, std::size_t n) {
  std::vector<std::uint32_t> out(n);
  RleDecoder(data, width).decode(out);
  return out;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

// ---- The worked examples of Encodings.md ---------------------------------------------------------

TEST(Encodings, BitPackingMatchesTheSpecExample) {
  // 0..7 with bit width 3 -> 10001000 11000110 11111010.
  const std::vector<std::uint64_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  Bytes packed;
  bit_pack(packed, values, 3);
  EXPECT_EQ(packed, (Bytes{0b10001000, 0b11000110, 0b11111010}));
  std::vector<std::uint64_t> back(8);
  bit_unpack(packed, 3, back);
  EXPECT_EQ(back, values);
}

TEST(Encodings, RleHybridBitPackedRunMatchesTheSpecExample) {
  const std::vector<std::uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  // Header varint(1 group << 1 | 1) = 3, then the three packed bytes.
  const Bytes encoded = {0x03, 0b10001000, 0b11000110, 0b11111010};
  EXPECT_EQ(encode_bit_packed_runs(values, 3), encoded);
  EXPECT_EQ(rle_decode(encoded, 3, 8), values);
}

TEST(Encodings, RleRunHeaderAndValue) {
  // 100 times the value 5 at bit width 3: header varint(100 << 1) = c8 01, value in one byte.
  const std::vector<std::uint32_t> values(100, 5);
  const Bytes encoded = {0xc8, 0x01, 0x05};
  EXPECT_EQ(encode_rle(values, 3), encoded);
  EXPECT_EQ(rle_decode(encoded, 3, 100), values);
  // A 20-bit value takes 3 bytes.
  const std::vector<std::uint32_t> wide(9, 0xABCDE);
  EXPECT_EQ(encode_rle(wide, 20), (Bytes{0x12, 0xDE, 0xBC, 0x0A}));
}

TEST(Encodings, DeltaBinaryPackedSpecExample1) {
  // 1, 2, 3, 4, 5: deltas all 1, min delta 1, bit width 0. The spec's example uses a block of 8
  // "to keep it short"; real blocks are multiples of 128, so this is the same stream with 128.
  const std::vector<std::int64_t> values = {1, 2, 3, 4, 5};
  const Bytes expected = {0x80, 0x01,  // block size 128
                          0x01,        // 1 miniblock
                          0x05,        // 5 values
                          0x02,        // first value 1 (zigzag)
                          0x02,        // min delta 1 (zigzag)
                          0x00};       // bit width 0: no data
  EXPECT_EQ(encode_delta_binary_packed(values, 64, 128, 1), expected);
  std::vector<std::int64_t> back;
  EXPECT_EQ(decode_delta_binary_packed(expected, 5, back), expected.size());
  EXPECT_EQ(back, values);
}

TEST(Encodings, DeltaBinaryPackedSpecExample2) {
  // 7, 5, 3, 1, 2, 3, 4, 5: deltas -2 -2 -2 1 1 1 1, min -2, relative 0 0 0 3 3 3 3 on 2 bits.
  const std::vector<std::int64_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  Bytes expected = {0x80,       0x01,      0x01, 0x08, 0x0e,  // header: 128, 1, 8 values, first 7
                    0x03,                                     // min delta -2 (zigzag)
                    0x02,                                     // bit width 2
                    0b11000000, 0b00111111};                  // 0,0,0,3 | 3,3,3,(pad)
  expected.resize(expected.size() + 30, 0);  // the miniblock is padded to 128 values x 2 bits
  EXPECT_EQ(encode_delta_binary_packed(values, 64, 128, 1), expected);
  std::vector<std::int32_t> back;
  EXPECT_EQ(decode_delta_binary_packed(expected, 8, back), expected.size());
  EXPECT_EQ(back, (std::vector<std::int32_t>{7, 5, 3, 1, 2, 3, 4, 5}));
}

TEST(Encodings, DeltaLengthByteArraySpecExample) {
  const std::vector<std::string> values = {"Hello", "World", "Foobar", "ABCDEF"};
  const Bytes expected = concat(encode_delta_binary_packed(std::vector<std::int64_t>{5, 5, 6, 6}, 32),
                                text("HelloWorldFoobarABCDEF"));
  EXPECT_EQ(encode_delta_length_byte_array(values), expected);
  std::vector<std::string> back;
  EXPECT_EQ(decode_delta_length_byte_array(expected, 4, 1 << 20, back), expected.size());
  EXPECT_EQ(back, values);
}

TEST(Encodings, DeltaByteArraySpecExample) {
  const std::vector<std::string> values = {"axis", "axle", "babble", "babyhood"};
  const Bytes expected = concat(concat(encode_delta_binary_packed(std::vector<std::int64_t>{0, 2, 0, 3}, 32),
                                       encode_delta_binary_packed(std::vector<std::int64_t>{4, 2, 6, 5}, 32)),
                                text("axislebabbleyhood"));
  EXPECT_EQ(encode_delta_byte_array(values), expected);
  std::vector<std::string> back;
  decode_delta_byte_array(expected, 4, 1 << 20, back);
  EXPECT_EQ(back, values);
}

TEST(Encodings, ByteStreamSplitSpecExample) {
  const Bytes values = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  const Bytes split = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  EXPECT_EQ(encode_byte_stream_split(values, 4), split);
  Bytes back(12);
  decode_byte_stream_split(split, 3, 4, back.data());
  EXPECT_EQ(back, values);
}

// Every byte lands where the definition puts it (value i, byte k from stream k at i), for counts
// around the 16-value blocks of the 8-byte path and for 4-byte values.
TEST(Encodings, ByteStreamSplitDecodesEveryByteInPlace) {
  for (std::size_t width : {4u, 8u})
    for (std::size_t count = 0; count <= 70; ++count) {
      Bytes split(count * width);
      for (std::size_t b = 0; b < split.size(); ++b) split[b] = static_cast<std::uint8_t>(b * 131 + 7);
      Bytes back(count * width + 1, 0xEE);  // one guard byte
      decode_byte_stream_split(split, count, width, back.data());
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t k = 0; k < width; ++k)
          ASSERT_EQ(back[i * width + k], split[k * count + i]) << "width " << width << " count " << count;
      EXPECT_EQ(back.back(), 0xEE);
      EXPECT_EQ(encode_byte_stream_split(Bytes(back.begin(), back.end() - 1), width), split);
    }
}

// ---- Properties ------------------------------------------------------------------------------------

TEST(Encodings, RleRoundTripsRandomRunsAtEveryWidth) {
  std::mt19937_64 rng(7);
  for (int width = 0; width <= 32; ++width) {
    const std::uint64_t mask = width == 32 ? 0xffffffffu : (std::uint64_t{1} << width) - 1;
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::uint32_t> values;
      const std::size_t n = rng() % 300;
      while (values.size() < n) {
        const std::uint32_t v = static_cast<std::uint32_t>(rng() & mask);
        const std::size_t run = rng() % 3 == 0 ? rng() % 40 : 1;
        for (std::size_t k = 0; k < run && values.size() < n; ++k) values.push_back(v);
      }
      EXPECT_EQ(rle_decode(encode_rle(values, width), width, n), values) << "width " << width;
      EXPECT_EQ(rle_decode(encode_bit_packed_runs(values, width), width, n), values) << "width " << width;
      // Decoding in small pieces gives the same values (the decoder keeps state between calls).
      const Bytes encoded = encode_rle(values, width);
      RleDecoder decoder(encoded, width);
      std::vector<std::uint32_t> pieces(n);
      for (std::size_t at = 0; at < n;) {
        const std::size_t k = std::min<std::size_t>(n - at, 1 + rng() % 13);
        decoder.decode(std::span<std::uint32_t>(pieces).subspan(at, k));
        at += k;
      }
      EXPECT_EQ(pieces, values);
    }
  }
}

TEST(Encodings, DeltaBinaryPackedRoundTripsExtremesAndWraps) {
  std::mt19937_64 rng(11);
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                     hi = std::numeric_limits<std::int64_t>::max();
  std::vector<std::vector<std::int64_t>> cases = {
      {}, {42}, {lo, hi, lo, 0, hi, -1}, {hi, hi - 1, lo + 1, lo}};
  for (int t = 0; t < 30; ++t) {
    std::vector<std::int64_t> v(rng() % 1000);
    std::int64_t x = static_cast<std::int64_t>(rng());
    for (auto& e : v) {
      x += static_cast<std::int64_t>(rng() % 2000) - 1000;
      e = t % 3 == 0 ? static_cast<std::int64_t>(rng()) : x;
    }
    cases.push_back(v);
  }
  for (const auto& values : cases) {
    for (auto [block, mini] : {std::pair<std::size_t, std::size_t>{128, 4}, {256, 2}, {128, 1}}) {
      const Bytes encoded = encode_delta_binary_packed(values, 64, block, mini);
      std::vector<std::int64_t> back;
      EXPECT_EQ(decode_delta_binary_packed(encoded, values.size(), back), encoded.size());
      EXPECT_EQ(back, values);
    }
  }
  // 32-bit columns wrap in 32 bits and never need more than 32 bits.
  const std::vector<std::int64_t> narrow = {std::numeric_limits<std::int32_t>::max(),
                                            std::numeric_limits<std::int32_t>::min(), 0,
                                            std::numeric_limits<std::int32_t>::max()};
  const Bytes encoded = encode_delta_binary_packed(narrow, 32);
  std::vector<std::int32_t> back;
  decode_delta_binary_packed(encoded, narrow.size(), back);
  EXPECT_EQ(back, (std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::max(),
                                             std::numeric_limits<std::int32_t>::min(), 0,
                                             std::numeric_limits<std::int32_t>::max()}));
}

TEST(Encodings, PlainRoundTrips) {
  const std::vector<double> d = {1.5, -0.0, std::numeric_limits<double>::quiet_NaN(), 1e300};
  Bytes b;
  encode_plain<double>(b, d);
  std::vector<double> back;
  decode_plain(b, d.size(), back);
  EXPECT_EQ(std::memcmp(back.data(), d.data(), sizeof(double) * d.size()), 0);
  const std::vector<std::uint8_t> flags = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1};
  Bytes fb;
  encode_plain_boolean(fb, flags);
  EXPECT_EQ(fb, (Bytes{0b00001101, 0b00000011}));
  std::vector<std::uint8_t> fback;
  decode_plain_boolean(fb, flags.size(), fback);
  EXPECT_EQ(fback, flags);
  const std::vector<std::string> s = {"", "a", std::string("\0x", 2)};
  Bytes sb;
  encode_plain_bytes(sb, s);
  std::vector<std::string> sback;
  decode_plain_bytes(sb, s.size(), -1, 1 << 20, sback);
  EXPECT_EQ(sback, s);
}

TEST(Encodings, Int96IsConvertedToNanoseconds) {
  // 2000-01-01T00:00:01.5Z: julian day 2451545, 1.5e9 ns into the day.
  Bytes b(12);
  const std::int64_t nanos = 1'500'000'000;
  const std::int32_t day = 2451545;
  std::memcpy(b.data(), &nanos, 8);
  std::memcpy(b.data() + 8, &day, 4);
  std::vector<std::int64_t> out;
  decode_plain_int96(b, 1, out);
  EXPECT_EQ(out, (std::vector<std::int64_t>{946684801'500'000'000LL}));
}

// ---- Hostile input ---------------------------------------------------------------------------------

TEST(Encodings, MalformedInputIsAnErrorNotACrash) {
  std::vector<std::uint32_t> out(10);
  EXPECT_THROW(RleDecoder(Bytes{}, 33), Error);
  EXPECT_THROW(RleDecoder(Bytes{0x03, 0xff}, 3).decode(out), Error);  // bit-packed run cut short
  EXPECT_THROW(RleDecoder(Bytes{0x80, 0x80}, 3).decode(out), Error);  // truncated varint
  EXPECT_THROW(RleDecoder(Bytes{0x14, 0x09}, 3).decode(out), Error);  // RLE value 9 > 3 bits
  EXPECT_THROW(RleDecoder(Bytes{0x04, 0x01}, 1).decode(out), Error);  // 2 of 10 values
  std::vector<std::uint32_t> huge(3);
  RleDecoder(Bytes{0xfe, 0xff, 0xff, 0xff, 0x0f, 0x01}, 1).decode(huge);  // a giant run is fine lazily
  EXPECT_EQ(huge, (std::vector<std::uint32_t>{1, 1, 1}));

  std::vector<std::int64_t> v;
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x08, 0x01, 0x05, 0x02}, 5, v), Error);        // block 8
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x03, 0x05, 0x02}, 5, v), Error);  // 3 miniblocks
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x01, 0x05, 0x02}, 6, v),
               Error);  // count mismatch
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 65}, 5, v),
               Error);  // width 65
  std::vector<std::int32_t> v32;
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 33}, 5, v32),
               Error);  // 33 > 32
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 8, 1}, 5, v),
               Error);  // short data
  EXPECT_THROW(decode_delta_binary_packed(Bytes{0x80, 0x01, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                0xff, 0xff, 0xff, 0xff, 0x01},
                                          5, v),
               Error);  // an 11-byte varint
  // A page of empty-suffix references to a long previous value cannot expand past the budget.
  std::vector<std::string> many(1000, std::string(1000, 'x'));
  const Bytes dba = encode_delta_byte_array(many);
  std::vector<std::string> s;
  EXPECT_THROW(decode_delta_byte_array(dba, many.size(), 100'000, s), Error);
  s.clear();
  decode_delta_byte_array(dba, many.size(), 1'000'000, s);
  EXPECT_EQ(s, many);
  // Negative prefix and prefix longer than the previous value.
  std::vector<std::string> out2;
  const Bytes bad_prefix = concat(encode_delta_binary_packed(std::vector<std::int64_t>{3}, 32),
                                  encode_delta_length_byte_array(std::vector<std::string>{"ab"}));
  EXPECT_THROW(decode_delta_byte_array(bad_prefix, 1, 1 << 20, out2), Error);
  Bytes split(7);
  Bytes dest(8);
  EXPECT_THROW(decode_byte_stream_split(split, 2, 4, dest.data()), Error);
  std::vector<double> d;
  EXPECT_THROW(decode_plain(Bytes(15), 2, d), Error);
  std::vector<std::string> strs;
  EXPECT_THROW(decode_plain_bytes(Bytes{0xff, 0xff, 0xff, 0x7f, 'a'}, 1, -1, 1 << 20, strs), Error);
}

}  // namespace
}  // namespace st::parquet
