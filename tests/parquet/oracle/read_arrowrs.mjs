// Prints each Parquet file given as the table arrow-rs (parquet-wasm) reads, in the canonical text of
// canonical.mjs.
//   node read_arrowrs.mjs FILE...
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { formatNumber, formatString, writeTable } from './canonical.mjs';

const NS_PER = [1000000000n, 1000000n, 1000n, 1n];  // arrow TimeUnit: SECOND, MILLISECOND, MICROSECOND, NANOSECOND

// The value at `row` of a column, formatted; raw buffers for timestamps and dates (get() rounds them).
function cell(column, row) {
  if (!column.isValid(row)) return 'null';
  const type = column.type;
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) {
    let at = row;
    for (const data of column.data) {
      if (at < data.length) {
        if (data.offset !== 0) throw new Error(`${column.type}: a sliced buffer (offset ${data.offset}) is not expected here`);
        const raw = data.values[at];
        if (arrow.DataType.isDate(type)) {
          return type.unit === arrow.DateUnit.DAY ? String(raw) : String(BigInt(raw) / 86400000n);
        }
        return (BigInt(raw) * NS_PER[type.unit]).toString();
      }
      at -= data.length;
    }
  }
  const v = column.get(row);
  if (arrow.DataType.isFloat(type)) return formatNumber(v);
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return formatString(v);
  if (arrow.DataType.isBool(type)) return v ? 'true' : 'false';
  return String(v);
}

const out = [];
for (const file of process.argv.slice(2)) {
  try {
    readOne(file);
  } catch (e) {
    out.push(`== ${file}`, `!! ${String(e.message ?? e).split('\n')[0]}`, '== end');
  }
}
process.stdout.write(out.join('\n') + '\n');

function readOne(file) {
  const table = arrow.tableFromIPC(readParquet(readFileSync(file)).intoIPCStream());
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n));
  const rows = [];
  for (let r = 0; r < table.numRows; ++r) rows.push(columns.map((c) => cell(c, r)));
  writeTable(out, file, names, rows);
}
