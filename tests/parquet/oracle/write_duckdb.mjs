// Writes Parquet files with DuckDB's writer for tests/parquet: the OHLCV CSV given, and a generated
// table with every type our reader handles, NULLs, NaN, -0.0, low- and high-cardinality strings;
// every codec, small row groups, and format V2 (DELTA_* and BYTE_STREAM_SPLIT; DuckDB keeps v1 pages).
//   node write_duckdb.mjs OUTDIR [OHLCV.csv]
// Prints the paths written, one a line.
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const outdir = process.argv[2];
// The OHLCV file: the argument, or the ORCL daily bars of ../shared/data beside the repository.
const csv = process.argv[3] ?? fileURLToPath(new URL('../../../../shared/data/orcl-1995-2014.csv', import.meta.url));
if (!outdir) throw new Error('usage: node write_duckdb.mjs OUTDIR [OHLCV.csv]');
mkdirSync(outdir, { recursive: true });
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await instance.connect();
const lit = (s) => "'" + s.replaceAll("'", "''") + "'";

await con.run(`CREATE TABLE orcl AS SELECT * FROM read_csv(${lit(csv)}, header = true, columns = {
  'timestamp': 'TIMESTAMPTZ', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})`);
await con.run(`CREATE TABLE mixed AS SELECT
    CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919 - 50000)::INTEGER END AS i32,
    (i * 1000000007 - 4000000000000)::BIGINT AS i64,
    CASE WHEN i % 13 = 0 THEN NULL WHEN i = 5 THEN 'nan'::DOUBLE WHEN i = 6 THEN -0.0::DOUBLE
         WHEN i = 7 THEN 'inf'::DOUBLE ELSE i / 3.0 END AS dbl,
    (i / 7.0)::FLOAT AS flt,
    CASE WHEN i % 5 = 0 THEN NULL ELSE ['AAPL', 'MSFT', '', 'été "q"', 'ORCL'][i % 5 + 1] END AS sym,
    'row-' || i || repeat('x', i % 17) AS txt,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
    DATE '1969-12-25' + i::INTEGER AS day,
    TIMESTAMP '2024-01-01' + to_microseconds(i * 1000003) AS ts_us,
    (TIMESTAMP '2024-01-01' + to_microseconds(i * 999))::TIMESTAMP_NS + to_microseconds(0) AS ts_ns,
    (TIMESTAMP '2024-01-01' + to_milliseconds(i * 61))::TIMESTAMP_MS AS ts_ms,
    TIMESTAMPTZ '2020-02-29 12:00:00+00' + to_seconds(i) AS ts_tz
  FROM range(0, 20000) r(i)`);

const written = [];
async function copy(table, name, options) {
  const path = `${outdir}/${name}.parquet`;
  await con.run(`COPY ${table} TO ${lit(path)} (FORMAT parquet${options ? ', ' + options : ''})`);
  written.push(path);
}
for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd']) {
  await copy('orcl', `duckdb-orcl-${codec}`, `COMPRESSION ${codec}`);
  await copy('mixed', `duckdb-mixed-${codec}`, `COMPRESSION ${codec}, ROW_GROUP_SIZE 4096`);
}
await copy('orcl', 'duckdb-orcl-rowgroups', 'COMPRESSION zstd, ROW_GROUP_SIZE 1000');
await copy('orcl', 'duckdb-orcl-v2', "COMPRESSION zstd, PARQUET_VERSION 'V2'");
await copy('mixed', 'duckdb-mixed-v2', "COMPRESSION snappy, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 8192");
await copy('mixed', 'duckdb-mixed-v2-uncompressed', "COMPRESSION uncompressed, PARQUET_VERSION 'V2'");
await copy('mixed', 'duckdb-mixed-nodict', 'COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 1');
process.stdout.write(written.join('\n') + '\n');
