// The canonical text of a table, shared by the oracle scripts and mirrored by
// tests/parquet/parquet_interop_test.cpp, so that tables read by different implementations can be
// compared byte for byte:
//
//   line 1      column names, comma-separated
//   one line per row, values comma-separated:
//     null                   null
//     BOOLEAN                true | false
//     INT32, INT64           decimal
//     DATE                   days since 1970-01-01, decimal
//     TIMESTAMP (any unit)   nanoseconds since 1970-01-01T00:00:00 (UTC or local wall clock), decimal
//     FLOAT, DOUBLE          shortest round-trip scientific: 1.5e0, -2.25e-3, 0e0, -0e0, nan, inf, -inf
//                            (FLOAT values are widened to double first)
//     strings                "..." with bytes < 0x20, 0x22 ("), 0x5c (\) and >= 0x7f of the UTF-8 as \xHH
//
// Each file a script prints is preceded by a line "== PATH" and followed by "== end"; a file the
// implementation cannot read has the single line "!! ERROR MESSAGE" instead of a table.

const encoder = new TextEncoder();

export function formatNumber(v) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0e0' : '0e0';
  return v.toExponential().replace('e+', 'e');
}

export function formatString(s) {
  let out = '"';
  for (const b of encoder.encode(s)) {
    if (b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

export function formatBigInt(v) {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

export function writeTable(out, path, names, rows) {
  out.push(`== ${path}`);
  out.push(names.join(','));
  for (const row of rows) out.push(row.join(','));
  out.push('== end');
}
