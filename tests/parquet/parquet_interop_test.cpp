// Interop oracles for backend/parquet. Two independent Parquet implementations, DuckDB and arrow-rs
// (through parquet-wasm), run in node (tests/parquet/oracle):
//   * our writer's files, every codec, PLAIN, dictionary and BYTE_STREAM_SPLIT, are read by both,
//     and must give the data we wrote;
//   * their writers' files (every codec, data pages v1 and v2, dictionary, PLAIN, DELTA_*,
//     BYTE_STREAM_SPLIT, RLE booleans, many row groups) are read by us, and must give what the
//     writer's own implementation reads;
// all compared as the canonical text of oracle/canonical.mjs. The node packages are installed here,
// with npm ci under a file lock; the tests skip only when node itself is missing.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "backend/core/diagnostics.h"
#include "backend/data/csv.h"
#include "backend/parquet/parquet_reader.h"
#include "backend/parquet/parquet_writer.h"

namespace st::parquet {
namespace {
namespace fs = std::filesystem;

const std::string kOracle = ST_PARQUET_ORACLE_DIR;
const std::string kCsv = std::string(ST_SHARED_DIR) + "/data/orcl-1995-2014.csv";
const fs::path kWork = fs::path(ST_BINARY_DIR) / "parquet_interop";

// ---- Processes -----------------------------------------------------------------------------------

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int status = -1;
  std::string out, err;
};

// Runs a shell command; stdout is returned, stderr kept for the failure message.
Run run(const std::string& command) {
  fs::create_directories(kWork);
  const fs::path err_file = kWork / fmt::format("stderr-{}.txt", ::getpid());
  Run r;
  std::FILE* pipe = ::popen((command + " 2>" + quote(err_file.string())).c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

bool have_node() { return run("command -v node").status == 0; }

// Installs the oracle's node packages once (npm ci from the lock file), under a file lock so that
// test processes started in parallel by ctest do not install over each other.
void install_oracle_packages() {
  fs::create_directories(kWork);
  const std::string lock_path = (kWork / "npm.lock").string();
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  ASSERT_GE(lock, 0) << "cannot create " << lock_path;
  ::flock(lock, LOCK_EX);
  const fs::path modules = fs::path(kOracle) / "node_modules";
  const fs::path installed = modules / ".package-lock.json";
  const bool fresh =
      fs::exists(installed) && fs::exists(modules / "@duckdb" / "node-api") &&
      fs::exists(modules / "parquet-wasm") && fs::exists(modules / "apache-arrow") &&
      fs::last_write_time(installed) >= fs::last_write_time(fs::path(kOracle) / "package-lock.json");
  Run r;
  if (!fresh) r = run("cd " + quote(kOracle) + " && npm ci --prefer-offline --no-audit --no-fund");
  ::flock(lock, LOCK_UN);
  ::close(lock);
  if (!fresh) {
    ASSERT_EQ(r.status, 0) << "npm ci in " << kOracle << " failed:\n" << r.out << r.err;
  }
}

// Runs an oracle script on files; returns the canonical text of each file by path.
std::map<std::string, std::string> read_with(const std::string& script,
                                             const std::vector<std::string>& files) {
  std::string command = "node " + quote(kOracle + "/" + script);
  for (const auto& f : files) command += " " + quote(f);
  const Run r = run(command);
  EXPECT_EQ(r.status, 0) << script << " failed:\n" << r.err;
  std::map<std::string, std::string> tables;
  std::istringstream in(r.out);
  std::string line, path, text;
  while (std::getline(in, line)) {
    if (line.rfind("== end", 0) == 0) {
      tables[path] = text;
      text.clear();
    } else if (line.rfind("== ", 0) == 0) {
      path = line.substr(3);
    } else {
      text += line + "\n";
    }
  }
  return tables;
}

// Lines written by a writer script: the paths of its files.
std::vector<std::string> write_with(const std::string& script, const fs::path& outdir) {
  fs::remove_all(outdir);
  const Run r =
      run("node " + quote(kOracle + "/" + script) + " " + quote(outdir.string()) + " " + quote(kCsv));
  EXPECT_EQ(r.status, 0) << script << " failed:\n" << r.err;
  std::vector<std::string> files;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) files.push_back(line);
  return files;
}

// ---- Canonical text (oracle/canonical.mjs) --------------------------------------------------------

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  const auto e = s.find('e');
  const int exponent = std::stoi(s.substr(e + 1));
  return s.substr(0, e) + "e" + std::to_string(exponent);
}

std::string format_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char b : s) {
    if (b < 0x20 || b == 0x22 || b == 0x5c || b >= 0x7f) {
      out += fmt::format("\\x{:02x}", b);
    } else {
      out += static_cast<char>(b);
    }
  }
  return out + "\"";
}

std::int64_t ns_per_unit(const ColumnInfo& c) {
  switch (c.logical) {
    case Logical::kTimestampMillis:
      return 1'000'000;
    case Logical::kTimestampMicros:
      return 1'000;
    case Logical::kTimestampNanos:
      return 1;
    default:
      return 0;  // not a timestamp
  }
}

// How a reader sees values differently from the file, and must be compared.
struct Precision {
  // DuckDB reads TIMESTAMP(NANOS, isAdjustedToUTC = true) as TIMESTAMPTZ, microseconds.
  bool utc_nanos_as_micros = false;
};

std::string cell(const ColumnInfo& c, const ColumnData& d, std::size_t i, Precision precision) {
  if (d.is_null(i)) return "null";
  switch (d.type) {
    case PhysicalType::kBoolean:
      return d.boolean[i] ? "true" : "false";
    case PhysicalType::kInt32:
      return std::to_string(d.i32[i]);
    case PhysicalType::kInt64:
    case PhysicalType::kInt96: {
      const std::int64_t per = ns_per_unit(c);
      if (per == 0) return std::to_string(d.i64[i]);
      std::int64_t ns = d.i64[i] * per;
      if (precision.utc_nanos_as_micros && c.utc && per == 1 && c.type != PhysicalType::kInt96)
        ns = ns / 1000 * 1000;
      return std::to_string(ns);
    }
    case PhysicalType::kFloat:
      return format_number(static_cast<double>(d.f32[i]));
    case PhysicalType::kDouble:
      return format_number(d.f64[i]);
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      return format_string(d.str[i]);
  }
  return "?";
}

std::string canonical_text(const std::vector<ColumnInfo>& columns,
                           const std::vector<std::vector<ColumnData>>& groups, Precision precision = {}) {
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + columns[c].name;
  out += "\n";
  for (const auto& group : groups) {
    const std::size_t rows = group.empty() ? 0 : group[0].size();
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns.size(); ++c)
        out += (c ? "," : "") + cell(columns[c], group[c], r, precision);
      out += "\n";
    }
  }
  return out;
}

std::string our_text(const std::string& path) {
  const FileReader reader(path);
  std::vector<std::vector<ColumnData>> groups;
  for (int g = 0; g < reader.num_row_groups(); ++g) {
    groups.emplace_back();
    for (int c = 0; c < static_cast<int>(reader.columns().size()); ++c)
      groups.back().push_back(reader.read_column(g, c));
  }
  return canonical_text(reader.columns(), groups);
}

// "" when equal, else the first line that differs.
std::string first_difference(const std::string& ours, const std::string& theirs) {
  if (ours == theirs) return "";
  std::istringstream a(ours), b(theirs);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "texts differ in line endings only";
    if (!ha || !hb || la != lb)
      return fmt::format("line {}:\n  expected: {}\n  got:      {}", line, ha ? la : "<end>",
                         hb ? lb : "<end>");
  }
}

// ---- What a file is made of ------------------------------------------------------------------------

struct Kinds {
  std::set<std::string> codecs, encodings, pages;
};

void scan_pages(const std::string& path, Kinds& kinds) {
  const FileReader reader(path);
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& group : reader.metadata().row_groups) {
    for (const auto& chunk : group.columns) {
      const auto& md = *chunk.meta_data;
      kinds.codecs.insert(to_string(md.codec));
      std::int64_t pos = md.data_page_offset;
      if (md.dictionary_page_offset && *md.dictionary_page_offset > 0)
        pos = std::min(pos, *md.dictionary_page_offset);
      const std::int64_t end = pos + md.total_compressed_size;
      while (pos < end) {
        std::size_t header_size = 0;
        const ByteSpan rest(reinterpret_cast<const std::uint8_t*>(file.data()) + pos,
                            file.size() - static_cast<std::size_t>(pos));
        const auto h = thrift::decode_page_header(rest, header_size);
        kinds.pages.insert(to_string(h.type));
        if (h.data_page_header) kinds.encodings.insert(to_string(h.data_page_header->encoding));
        if (h.data_page_header_v2) kinds.encodings.insert(to_string(h.data_page_header_v2->encoding));
        pos += static_cast<std::int64_t>(header_size) + h.compressed_page_size;
      }
    }
  }
}

void expect_covers(const std::set<std::string>& seen, const std::set<std::string>& wanted, const char* what) {
  for (const auto& w : wanted) EXPECT_TRUE(seen.count(w)) << "no file exercised the " << what << " " << w;
}

bool same_bars(const std::vector<Bar>& a, const std::vector<Bar>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].time != b[i].time || a[i].open != b[i].open || a[i].high != b[i].high || a[i].low != b[i].low ||
        a[i].close != b[i].close || a[i].volume != b[i].volume)
      return false;
  return true;
}

class ParquetInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_node()) GTEST_SKIP() << "node is not installed: the DuckDB and arrow-rs oracles need it";
    fs::create_directories(kWork);
    install_oracle_packages();
  }
};

// ---- Our writer, their readers ---------------------------------------------------------------------

struct Table {
  std::vector<ColumnSpec> columns;
  std::vector<ColumnData> data;
};

Table mixed_table(std::size_t n) {
  Table t;
  t.columns = {{"i32", PhysicalType::kInt32, true},
               {"i64", PhysicalType::kInt64},
               {"dbl", PhysicalType::kDouble, true},
               {"flt", PhysicalType::kFloat},
               {"sym", PhysicalType::kByteArray, true, Logical::kString},
               {"txt", PhysicalType::kByteArray, false, Logical::kString},
               {"flag", PhysicalType::kBoolean, true},
               {"day", PhysicalType::kInt32, false, Logical::kDate},
               {"ts_ms", PhysicalType::kInt64, false, Logical::kTimestampMillis},
               {"ts_us", PhysicalType::kInt64, true, Logical::kTimestampMicros, false},
               {"ts_ns", PhysicalType::kInt64, true, Logical::kTimestampNanos}};
  t.data.resize(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) t.data[c].type = t.columns[c].type;
  const char* symbols[] = {"AAPL", "MSFT", "", "\xc3\xa9t\xc3\xa9 \"q\"", "ORCL"};
  for (std::size_t i = 0; i < n; ++i) {
    const auto si = static_cast<std::int64_t>(i);
    const auto push = [&](std::size_t c, bool valid) {
      if (t.columns[c].optional) t.data[c].valid.push_back(valid ? 1 : 0);
    };
    t.data[0].i32.push_back(i % 11 == 0 ? 0 : static_cast<std::int32_t>(si * 7919 - 50000));
    push(0, i % 11 != 0);
    t.data[1].i64.push_back(si * 1000000007LL - 4000000000000LL);
    const double d = i == 5   ? std::numeric_limits<double>::quiet_NaN()
                     : i == 6 ? -0.0
                     : i == 7 ? std::numeric_limits<double>::infinity()
                              : static_cast<double>(i) / 3;
    t.data[2].f64.push_back(i % 13 == 0 ? 0 : d);
    push(2, i % 13 != 0);
    t.data[3].f32.push_back(static_cast<float>(i) / 7.0f);
    t.data[4].str.push_back(i % 5 == 0 ? "" : symbols[i % 5]);
    push(4, i % 5 != 0);
    t.data[5].str.push_back(fmt::format("row-{}{}", i, std::string(i % 17, 'x')));
    t.data[6].boolean.push_back(i % 3 == 0 ? 0 : i % 2 == 0);
    push(6, i % 3 != 0);
    t.data[7].i32.push_back(static_cast<std::int32_t>(si - 7));
    t.data[8].i64.push_back(1'600'000'000'000LL + si * 61);
    t.data[9].i64.push_back(1'704'067'200'000'000LL + si * 1'000'003);
    push(9, i % 19 != 2);
    t.data[10].i64.push_back(1'704'067'200'000'000'000LL + si * 1'000'003'000LL + si % 1000);
    push(10, i % 17 != 4);
  }
  return t;
}

TEST_F(ParquetInterop, DuckDbAndArrowRsReadWhatOurWriterWrote) {
  const fs::path dir = kWork / "ours";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto bars = read_csv_all(kCsv);
  const Table mixed = mixed_table(12000);
  struct Expected {
    std::string duckdb, arrowrs;
  };
  std::map<std::string, Expected> expected;
  std::vector<std::string> files;
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    for (const char* encoding : {"plain", "dict", "split"}) {
      WriterOptions options;
      options.codec = codec;
      options.dictionary = std::string_view(encoding) == "dict";
      // As `data import --encoding byte_stream_split`: FLOAT/DOUBLE split, INT32/INT64 as deltas.
      options.byte_stream_split = std::string_view(encoding) == "split";
      options.delta_integers = options.byte_stream_split;
      options.row_group_rows = 2000;
      options.page_rows = 700;
      const std::string tag = fmt::format("{}-{}", to_string(codec), encoding);
      // Bars (timestamps in nanoseconds, UTC).
      const std::string bars_path = (dir / ("ours-orcl-" + tag + ".parquet")).string();
      VectorBarSource source(bars);
      write_parquet_bars(bars_path, source, options);
      files.push_back(bars_path);
      std::vector<ColumnData> bar_columns(6);
      bar_columns[0].type = PhysicalType::kInt64;
      for (int c = 1; c < 6; ++c) bar_columns[static_cast<std::size_t>(c)].type = PhysicalType::kDouble;
      for (const auto& b : bars) {
        bar_columns[0].i64.push_back(b.time.ns);
        for (int c = 1; c < 6; ++c)
          bar_columns[static_cast<std::size_t>(c)].f64.push_back(c == 1   ? b.open
                                                                 : c == 2 ? b.high
                                                                 : c == 3 ? b.low
                                                                 : c == 4 ? b.close
                                                                          : b.volume);
      }
      const std::vector<ColumnInfo> bar_specs = FileReader(bars_path).columns();
      expected[bars_path] = {canonical_text(bar_specs, {bar_columns}, {true}),
                             canonical_text(bar_specs, {bar_columns})};
      // The mixed table: nulls, NaN, -0.0, infinities, strings, booleans, dates, three timestamp units.
      const std::string mixed_path = (dir / ("ours-mixed-" + tag + ".parquet")).string();
      TableWriter writer(mixed_path, mixed.columns, options);
      writer.write_row_group(mixed.data);
      writer.close();
      files.push_back(mixed_path);
      expected[mixed_path] = {canonical_text(mixed.columns, {mixed.data}, {true}),
                              canonical_text(mixed.columns, {mixed.data})};
    }
  }
  const auto duckdb = read_with("read_duckdb.mjs", files);
  const auto arrowrs = read_with("read_arrowrs.mjs", files);
  for (const auto& f : files) {
    ASSERT_TRUE(duckdb.count(f)) << "DuckDB printed nothing for " << f;
    ASSERT_TRUE(arrowrs.count(f)) << "arrow-rs printed nothing for " << f;
    EXPECT_EQ(first_difference(expected[f].duckdb, duckdb.at(f)), "") << "DuckDB reading " << f;
    EXPECT_EQ(first_difference(expected[f].arrowrs, arrowrs.at(f)), "") << "arrow-rs reading " << f;
    EXPECT_EQ(first_difference(expected[f].arrowrs, our_text(f)), "") << "we reading " << f;
  }
}

// ---- Their writers, our reader ---------------------------------------------------------------------

// Reads every file with us and with the oracles; `reference` is the writer's own implementation.
void check_their_files(const std::vector<std::string>& files, const std::string& reference_script,
                       const std::string& other_script, Kinds& kinds) {
  EXPECT_FALSE(files.empty());
  const auto reference = read_with(reference_script, files);
  const auto csv_bars = read_csv_all(kCsv);
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    scan_pages(f, kinds);
    ASSERT_TRUE(reference.count(f)) << reference_script << " printed nothing for " << f;
    ASSERT_NE(reference.at(f).rfind("!! ", 0), 0u)
        << reference_script << " cannot read its own file " << f << ": " << reference.at(f);
    std::string ours;
    try {
      ours = our_text(f);
    } catch (const Error& e) {
      ADD_FAILURE() << "our reader refused " << f << ": " << e.what();
      continue;
    }
    EXPECT_EQ(first_difference(reference.at(f), ours), "")
        << "we reading " << f << " vs " << reference_script;
    if (f.find("-orcl-") != std::string::npos) {
      EXPECT_TRUE(same_bars(read_parquet_bars(f), csv_bars)) << "the bars of " << f << " differ from the CSV";
    }
  }
  // Where the other implementation reads a file exactly, it agrees too (a check of the oracles); where
  // it does not (a DuckDB limitation, say), the test says so and goes on.
  const auto other = read_with(other_script, files);
  for (const auto& f : files) {
    if (other.count(f) && first_difference(reference.at(f), other.at(f)).empty()) continue;
    const std::string why = other.count(f) == 0 ? "no output"
                            : other.at(f).rfind("!! ", 0) == 0
                                ? other.at(f).substr(0, other.at(f).find('\n'))
                                : first_difference(reference.at(f), other.at(f)).substr(0, 12);
    std::printf("[ note ] %s differs from %s on %s (%s)\n", other_script.c_str(), reference_script.c_str(),
                fs::path(f).filename().c_str(), why.c_str());
  }
}

TEST_F(ParquetInterop, WeReadWhatDuckDbWrote) {
  const auto files = write_with("write_duckdb.mjs", kWork / "duckdb");
  Kinds kinds;
  check_their_files(files, "read_duckdb.mjs", "read_arrowrs.mjs", kinds);
  expect_covers(kinds.codecs, {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"}, "codec");
  // DuckDB's PARQUET_VERSION 'V2' brings the V2 encodings but keeps data pages v1 (arrow-rs writes v2 pages).
  expect_covers(kinds.pages, {"DATA_PAGE", "DICTIONARY_PAGE"}, "page type");
  expect_covers(
      kinds.encodings,
      {"PLAIN", "RLE_DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "BYTE_STREAM_SPLIT"},
      "encoding");
  std::printf("[ duckdb ] %zu files; encodings:", files.size());
  for (const auto& e : kinds.encodings) std::printf(" %s", e.c_str());
  std::printf("\n");
}

TEST_F(ParquetInterop, WeReadWhatArrowRsWrote) {
  const auto files = write_with("write_arrowrs.mjs", kWork / "arrowrs");
  Kinds kinds;
  check_their_files(files, "read_arrowrs.mjs", "read_duckdb.mjs", kinds);
  expect_covers(kinds.codecs, {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"}, "codec");
  expect_covers(kinds.pages, {"DATA_PAGE", "DATA_PAGE_V2", "DICTIONARY_PAGE"}, "page type");
  expect_covers(kinds.encodings,
                {"PLAIN", "RLE_DICTIONARY", "RLE", "DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT",
                 "DELTA_BYTE_ARRAY", "DELTA_LENGTH_BYTE_ARRAY"},
                "encoding");
}

}  // namespace
}  // namespace st::parquet
