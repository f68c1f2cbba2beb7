// Prints each Parquet file given as the table DuckDB reads, in the canonical text of canonical.mjs.
//   node read_duckdb.mjs FILE...
import { DuckDBInstance } from '@duckdb/node-api';
import { formatNumber, formatString, formatBigInt, writeTable } from './canonical.mjs';

const files = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await instance.connect();
const quote = (name) => '"' + name.replaceAll('"', '""') + '"';
const out = [];
for (const file of files) {
  try {
    await readOne(file);
  } catch (e) {
    out.push(`== ${file}`, `!! ${String(e.message ?? e).split('\n')[0]}`, '== end');
  }
}
process.stdout.write(out.join('\n') + '\n');

async function readOne(file) {
  const literal = "'" + file.replaceAll("'", "''") + "'";
  const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal})`);
  const names = [], exprs = [], kinds = [];
  for (const [name, type] of described.getRows()) {
    names.push(name);
    const t = String(type);
    if (t.startsWith('TIMESTAMP')) {
      exprs.push(`epoch_ns(${quote(name)})`);
      kinds.push('int');
    } else if (t === 'DATE') {
      exprs.push(`(${quote(name)} - DATE '1970-01-01')`);
      kinds.push('int');
    } else {
      exprs.push(quote(name));
      kinds.push(t === 'FLOAT' || t === 'DOUBLE' ? 'float' : t === 'VARCHAR' || t === 'BLOB' ? 'string' : t === 'BOOLEAN' ? 'bool' : 'int');
    }
  }
  const result = await con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM read_parquet(${literal})`);
  const rows = result.getRows().map((row) =>
    row.map((v, i) => {
      if (v === null) return 'null';
      switch (kinds[i]) {
        case 'float': return formatNumber(v);
        case 'string': return formatString(typeof v === 'string' ? v : new TextDecoder().decode(v.bytes));
        case 'bool': return v ? 'true' : 'false';
        default: return formatBigInt(v);
      }
    }));
  writeTable(out, file, names, rows);
}
