// Writes Parquet files with arrow-rs (through parquet-wasm) for tests/parquet: the OHLCV CSV given,
// and a generated table with every type our reader handles and NULLs, in every codec (LZ4_RAW too),
// data pages v1 and v2, dictionary on and off, and the encodings PLAIN, DELTA_BINARY_PACKED,
// BYTE_STREAM_SPLIT, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY; small row groups and pages.
//   node write_arrowrs.mjs OUTDIR [OHLCV.csv]
// Prints the paths written, one a line.
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { Compression, Encoding, Table, WriterPropertiesBuilder, WriterVersion, writeParquet } from 'parquet-wasm';

const outdir = process.argv[2];
// The OHLCV file: the argument, or the ORCL daily bars of ../shared/data beside the repository.
const csv = process.argv[3] ?? fileURLToPath(new URL('../../../../shared/data/orcl-1995-2014.csv', import.meta.url));
if (!outdir) throw new Error('usage: node write_arrowrs.mjs OUTDIR [OHLCV.csv]');
mkdirSync(outdir, { recursive: true });

function int64Vector(type, values, valid) {
  const data = arrow.makeData({
    type, length: values.length, nullCount: valid ? valid.filter((v) => !v).length : 0,
    data: BigInt64Array.from(values),
    nullBitmap: valid ? bitmap(valid) : undefined,
  });
  return arrow.makeVector(data);
}

function bitmap(valid) {
  const bits = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((v, i) => { if (v) bits[i >> 3] |= 1 << (i & 7); });
  return bits;
}

// The OHLCV CSV: timestamp (ISO-8601 UTC) as TIMESTAMP(MILLIS, UTC), the rest DOUBLE.
function orclTable() {
  const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const ts = [], cols = [[], [], [], [], []];
  for (const line of lines) {
    const f = line.split(',');
    ts.push(BigInt(Date.parse(f[0])));
    for (let i = 0; i < 5; ++i) cols[i].push(Number(f[i + 1]));
  }
  const names = ['open', 'high', 'low', 'close', 'volume'];
  const vectors = { timestamp: int64Vector(new arrow.TimestampMillisecond('UTC'), ts) };
  names.forEach((n, i) => { vectors[n] = arrow.vectorFromArray(cols[i], new arrow.Float64()); });
  return new arrow.Table(vectors);
}

function mixedTable(n) {
  const i32 = [], i64 = [], dbl = [], flt = [], sym = [], txt = [], flag = [], day = [], ts = [], tsValid = [];
  const symbols = ['AAPL', 'MSFT', '', 'été "q"', 'ORCL'];
  for (let i = 0; i < n; ++i) {
    i32.push(i % 11 === 0 ? null : i * 7919 - 50000);
    i64.push(BigInt(i) * 1000000007n - 4000000000000n);
    dbl.push(i % 13 === 0 ? null : i === 5 ? NaN : i === 6 ? -0 : i === 7 ? Infinity : i / 3);
    flt.push(i / 7);
    sym.push(i % 5 === 0 ? null : symbols[i % 5]);
    txt.push(`row-${i}` + 'x'.repeat(i % 17));
    flag.push(i % 3 === 0 ? null : i % 2 === 0);
    day.push(i - 7);
    ts.push(1704067200000000000n + BigInt(i) * 1000003000n + BigInt(i % 1000));
    tsValid.push(i % 17 !== 4);
  }
  return new arrow.Table({
    i32: arrow.vectorFromArray(i32, new arrow.Int32()),
    i64: int64Vector(new arrow.Int64(), i64),
    dbl: arrow.vectorFromArray(dbl, new arrow.Float64()),
    flt: arrow.vectorFromArray(flt, new arrow.Float32()),
    sym: arrow.vectorFromArray(sym, new arrow.Utf8()),
    txt: arrow.vectorFromArray(txt, new arrow.Utf8()),
    flag: arrow.vectorFromArray(flag, new arrow.Bool()),
    day: arrow.makeVector(arrow.makeData({ type: new arrow.DateDay(), length: n, data: Int32Array.from(day) })),
    ts_ns: int64Vector(new arrow.TimestampNanosecond('UTC'), ts, tsValid),
    ts_us: int64Vector(new arrow.TimestampMicrosecond(), ts.map((t) => t / 1000n)),
  });
}

const written = [];
function write(table, name, configure) {
  const builder = configure(new WriterPropertiesBuilder().setCreatedBy('parquet-wasm oracle'));
  const bytes = writeParquet(Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), builder.build());
  const path = `${outdir}/${name}.parquet`;
  writeFileSync(path, bytes);
  written.push(path);
}

const orcl = orclTable();
const mixed = mixedTable(20000);
const codecs = { uncompressed: Compression.UNCOMPRESSED, snappy: Compression.SNAPPY, gzip: Compression.GZIP,
                 zstd: Compression.ZSTD, lz4raw: Compression.LZ4_RAW };
for (const [codecName, codec] of Object.entries(codecs)) {
  write(orcl, `arrowrs-orcl-${codecName}`, (b) => b.setCompression(codec));
  write(mixed, `arrowrs-mixed-${codecName}`, (b) => b.setCompression(codec).setMaxRowGroupSize(5000));
}
// Many row groups and many small pages.
write(orcl, 'arrowrs-orcl-rowgroups', (b) => b.setCompression(Compression.ZSTD).setMaxRowGroupSize(700).setDataPageSizeLimit(512).setWriteBatchSize(64));
// Dictionary off: PLAIN (v1) and the delta / split encodings (v2 data pages).
write(mixed, 'arrowrs-mixed-plain-v1', (b) => b.setCompression(Compression.SNAPPY).setDictionaryEnabled(false));
write(mixed, 'arrowrs-mixed-v2-dict', (b) => b.setCompression(Compression.ZSTD).setWriterVersion(WriterVersion.V2).setMaxRowGroupSize(6000));
write(mixed, 'arrowrs-mixed-v2-delta', (b) => b.setCompression(Compression.ZSTD).setWriterVersion(WriterVersion.V2)
  .setDictionaryEnabled(false).setDataPageSizeLimit(4096)
  .setColumnEncoding('i32', Encoding.DELTA_BINARY_PACKED).setColumnEncoding('i64', Encoding.DELTA_BINARY_PACKED)
  .setColumnEncoding('day', Encoding.DELTA_BINARY_PACKED).setColumnEncoding('ts_ns', Encoding.DELTA_BINARY_PACKED)
  .setColumnEncoding('ts_us', Encoding.DELTA_BINARY_PACKED)
  .setColumnEncoding('dbl', Encoding.BYTE_STREAM_SPLIT).setColumnEncoding('flt', Encoding.BYTE_STREAM_SPLIT)
  .setColumnEncoding('sym', Encoding.DELTA_BYTE_ARRAY).setColumnEncoding('txt', Encoding.DELTA_LENGTH_BYTE_ARRAY));
write(mixed, 'arrowrs-mixed-v2-split', (b) => b.setCompression(Compression.LZ4_RAW).setWriterVersion(WriterVersion.V2)
  .setDictionaryEnabled(false)
  .setColumnEncoding('i32', Encoding.BYTE_STREAM_SPLIT).setColumnEncoding('i64', Encoding.BYTE_STREAM_SPLIT)
  .setColumnEncoding('ts_ns', Encoding.BYTE_STREAM_SPLIT).setColumnEncoding('dbl', Encoding.BYTE_STREAM_SPLIT)
  .setColumnEncoding('sym', Encoding.DELTA_LENGTH_BYTE_ARRAY).setColumnEncoding('txt', Encoding.DELTA_BYTE_ARRAY)
  .setColumnEncoding('flag', Encoding.RLE));
write(mixed, 'arrowrs-mixed-v2-uncompressed', (b) => b.setCompression(Compression.UNCOMPRESSED).setWriterVersion(WriterVersion.V2)
  .setDictionaryEnabled(false).setColumnEncoding('i64', Encoding.DELTA_BINARY_PACKED));
write(orcl, 'arrowrs-orcl-v2-split', (b) => b.setCompression(Compression.GZIP).setWriterVersion(WriterVersion.V2)
  .setDictionaryEnabled(false).setColumnEncoding('timestamp', Encoding.DELTA_BINARY_PACKED)
  .setColumnEncoding('open', Encoding.BYTE_STREAM_SPLIT).setColumnEncoding('high', Encoding.BYTE_STREAM_SPLIT)
  .setColumnEncoding('low', Encoding.BYTE_STREAM_SPLIT).setColumnEncoding('close', Encoding.BYTE_STREAM_SPLIT)
  .setColumnEncoding('volume', Encoding.BYTE_STREAM_SPLIT));
process.stdout.write(written.join('\n') + '\n');
