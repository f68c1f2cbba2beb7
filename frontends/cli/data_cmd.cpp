#include "frontends/cli/data_cmd.h"

#include <fmt/format.h>

#include <filesystem>

#include "backend/data/text.h"

namespace st {

namespace {

bool import_options(const DataCommandArgs& args, ImportOptions& o, std::ostream& err) {
  const auto format = parse_data_format(args.format);
  if (!format || *format == DataFormat::kParquet) {
    err << fmt::format("error: --format: \"{}\" is not a format; expected auto, generic, yahoo, binance, "
                       "backtrader or freqtrade-json\n",
                       args.format);
    return false;
  }
  o.format = *format;
  const auto offset = parse_utc_offset(args.utc_offset);
  if (offset) o.utc_offset_seconds = *offset;
  if (!offset) {
    err << fmt::format("error: --utc-offset: \"{}\" is not an offset like +01:00\n", args.utc_offset);
    return false;
  }
  o.skip_bad = args.skip_bad;
  return true;
}

void print_report(const ImportReport& r, bool listed_as_errors, std::ostream& err) {
  for (const auto& n : r.notes) err << "note: " << n << '\n';
  const char* tag = listed_as_errors ? "error: " : "skipped: ";
  for (const auto& d : r.errors) err << tag << d.to_string() << '\n';
  if (r.bad_rows > static_cast<std::int64_t>(r.errors.size()))
    err << fmt::format("... and {} more\n", r.bad_rows - static_cast<std::int64_t>(r.errors.size()));
}

}  // namespace

int data_import(const DataCommandArgs& args, std::ostream& out, std::ostream& err) {
  ConvertOptions o;
  if (!import_options(args, o.import, err)) return 2;
  if (args.parquet_options && lower_ascii(std::filesystem::path(args.output).extension().string()) == ".csv") {
    err << fmt::format("error: --codec, --encoding and --row-group are Parquet settings; {} is a CSV file\n",
                       args.output);
    return 2;
  }
  o.codec = args.codec;
  o.encoding = args.encoding;
  o.row_group_rows = args.row_group_rows;
  if (!args.quiet) o.progress = [&err](std::int64_t rows) { err << fmt::format("{} rows\n", rows) << std::flush; };
  const auto r = convert_data(args.input, args.output, o);
  if (!r.written) {
    print_report(r.report, true, err);
    err << fmt::format("{} bad row{} in {}; nothing written (--skip-bad skips them)\n", r.report.bad_rows,
                       r.report.bad_rows == 1 ? "" : "s", args.input);
    return 1;
  }
  print_report(r.report, false, err);
  out << fmt::format("imported {} rows ({}) from {} -> {}\n", r.stats.rows(), to_string(r.report.format), args.input,
                     r.output);
  if (r.report.bad_rows > 0)
    out << fmt::format("skipped {} bad rows ({} duplicate times, {} out of order)\n", r.report.bad_rows,
                       r.report.duplicates, r.report.out_of_order);
  out << r.stats.to_text();
  return 0;
}

int data_info(const DataCommandArgs& args, std::ostream& out, std::ostream& err) {
  ImportOptions o;
  DataCommandArgs a = args;
  a.skip_bad = true;
  if (!import_options(a, o, err)) return 2;
  const auto info = describe_data(args.input, o);
  out << fmt::format("file        {}\nformat      {}\n", args.input, to_string(info.format));
  for (const auto& d : info.details) out << d << '\n';
  if (!info.not_bars.empty()) {
    out << "bars        none (not an OHLCV table): " << info.not_bars << '\n';
    return 0;
  }
  out << info.stats.to_text();
  if (info.report.bad_rows > 0) {
    out << fmt::format("bad rows    {} ({} duplicate times, {} out of order; left out above)\n", info.report.bad_rows,
                       info.report.duplicates, info.report.out_of_order);
    print_report(info.report, false, err);
  }
  for (const auto& n : info.report.notes) out << "note        " << n << '\n';
  return 0;
}

}  // namespace st
