#include "backend/dataio/convert.h"

#include <fmt/format.h>

#include <filesystem>
#include <algorithm>
#include <set>

#include "backend/core/atomic_file.h"
#include "backend/data/csv.h"
#include "backend/data/text.h"
#include "backend/parquet/parquet_reader.h"
#include "backend/parquet/parquet_writer.h"

namespace st {
namespace fs = std::filesystem;

namespace {

// Passes bars through, keeping statistics and reporting progress.
class Tap final : public BarSource {
 public:
  Tap(BarSource& inner, DataStats& stats, const std::function<void(std::int64_t)>& progress)
      : inner_(inner), stats_(stats), progress_(progress) {}
  bool next(Bar& out) override {
    if (!inner_.next(out)) return false;
    stats_.add(out);
    if (progress_ && stats_.rows() % 1'000'000 == 0) progress_(stats_.rows());
    return true;
  }
  std::string name() const override { return inner_.name(); }

 private:
  BarSource& inner_;
  DataStats& stats_;
  const std::function<void(std::int64_t)>& progress_;
};

parquet::Codec codec_of(const std::string& name) {
  if (name == "zstd") return parquet::Codec::kZstd;
  if (name == "snappy") return parquet::Codec::kSnappy;
  if (name == "gzip") return parquet::Codec::kGzip;
  if (name == "none" || name == "uncompressed") return parquet::Codec::kUncompressed;
  throw Error(fmt::format("--codec: \"{}\" is not a codec; expected zstd, snappy, gzip or none", name));
}

bool byte_stream_split_of(const std::string& name) {
  if (name == "plain") return false;
  if (name == "byte_stream_split") return true;
  throw Error(fmt::format("--encoding: \"{}\" is not an encoding; expected plain or byte_stream_split", name));
}

std::string lower_ext(const std::string& path) { return lower_ascii(fs::path(path).extension().string()); }

// Counts the bars it passes on.
class Counter final : public BarSource {
 public:
  explicit Counter(BarSource& inner) : inner_(inner) {}
  bool next(Bar& out) override { return inner_.next(out) && (++rows_, true); }
  std::string name() const override { return inner_.name(); }
  std::int64_t rows() const { return rows_; }

 private:
  BarSource& inner_;
  std::int64_t rows_ = 0;
};

}  // namespace

std::int64_t write_bars(const std::string& path, BarSource& source, const std::string& codec,
                        std::int64_t row_group_rows, const std::string& encoding) {
  const std::string ext = lower_ext(path);
  if (ext != ".parquet" && ext != ".csv") throw Error(fmt::format("{}: the output must end in .parquet or .csv", path));
  const bool split = byte_stream_split_of(encoding);  // checked for CSV too: a typo is an error
  Counter counted(source);
  if (ext == ".parquet") {
    // The Parquet writer is atomic itself: PATH.tmp, fsync, rename; the temp file is removed
    // when the source fails.
    parquet::WriterOptions wo;
    wo.codec = codec_of(codec);
    wo.row_group_rows = static_cast<std::size_t>(row_group_rows);
    wo.page_rows = kBarPageRows;
    wo.byte_stream_split = split;  // prices and volume split into byte streams ...
    wo.delta_integers = split;     // ... and the times as deltas: the encodings that decode fastest
    parquet::write_parquet_bars(path, counted, wo);
    return counted.rows();
  }
  const std::string tmp = path + ".tmp";
  try {
    write_csv(tmp, counted);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  rename_durable(tmp, path);
  return counted.rows();
}

ConvertResult convert_data(const std::string& in, const std::string& out, const ConvertOptions& options) {
  const std::string ext = lower_ext(out);
  if (ext != ".parquet" && ext != ".csv")
    throw Error(fmt::format("{}: the output must end in .parquet or .csv", out));
  ConvertResult r;
  r.output = out;
  std::unique_ptr<BarSource> source;
  ImportSource* import = nullptr;
  ImportOptions io = options.import;
  if (io.format == DataFormat::kAuto) io.format = detect_data_format(in);
  if (io.format == DataFormat::kParquet) {
    source = parquet::open_parquet_bars(in);
  } else {
    auto s = std::make_unique<ImportSource>(in, io);
    import = s.get();
    source = std::move(s);
  }
  Tap tap(*source, r.stats, options.progress);
  const std::string tmp = out + ".partial" + ext;
  write_bars(tmp, tap, options.codec, options.row_group_rows, options.encoding);
  if (import != nullptr) r.report = import->report();
  r.report.format = io.format;
  if (r.report.bad_rows > 0 && !io.skip_bad) {
    fs::remove(tmp);
    return r;
  }
  rename_durable(tmp, out);
  r.written = true;
  return r;
}

DataInfo describe_data(const std::string& path, const ImportOptions& options) {
  DataInfo info;
  ImportOptions io = options;
  if (io.format == DataFormat::kAuto) io.format = detect_data_format(path);
  info.format = io.format;
  Bar b;
  if (io.format == DataFormat::kParquet) {
    parquet::FileReader reader(path);
    const auto& md = reader.metadata();
    info.details.push_back(fmt::format("row groups  {} ({} rows)", reader.num_row_groups(), reader.num_rows()));
    std::string cols;
    for (const auto& c : reader.columns())
      cols += fmt::format("{}{} {}{}{}", cols.empty() ? "" : ", ", c.name, parquet::to_string(c.type),
                          c.logical == parquet::Logical::kNone ? "" : fmt::format(" {}", parquet::to_string(c.logical)),
                          c.optional ? " optional" : "");
    info.details.push_back("columns     " + cols);
    std::set<std::string> codecs;
    for (const auto& rg : md.row_groups)
      for (const auto& cc : rg.columns)
        if (cc.meta_data) codecs.insert(parquet::to_string(static_cast<parquet::Codec>(cc.meta_data->codec)));
    std::string cs;
    for (const auto& c : codecs) cs += (cs.empty() ? "" : ", ") + c;
    info.details.push_back("codecs      " + cs);
    // The encodings of the data pages (definition levels' RLE left out), in the order they appear.
    std::vector<parquet::Encoding> encodings;
    for (const auto& rg : md.row_groups)
      for (const auto& cc : rg.columns)
        if (cc.meta_data)
          for (const auto e : cc.meta_data->encodings)
            if (e != parquet::Encoding::kRle && std::find(encodings.begin(), encodings.end(), e) == encodings.end())
              encodings.push_back(e);
    std::string es;
    for (const auto e : encodings) es += (es.empty() ? "" : ", ") + parquet::to_string(e);
    info.details.push_back("encodings   " + (es.empty() ? std::string("-") : es));
    if (md.created_by && !md.created_by->empty()) info.details.push_back("created by  " + *md.created_by);
    std::unique_ptr<BarSource> bars;
    try {
      bars = parquet::open_parquet_bars(path);
    } catch (const Error& e) {  // a table, not bars (e.g. a run's trades.parquet)
      info.not_bars = e.what();
      return info;
    }
    while (bars->next(b)) info.stats.add(b);
    return info;
  }
  io.skip_bad = true;
  ImportSource source(path, io);
  while (source.next(b)) info.stats.add(b);
  info.report = source.report();
  return info;
}

}  // namespace st
