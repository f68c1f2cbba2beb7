// s1mpletrader — the command-line frontend. It only parses arguments, calls the services and
// prints; every decision lives below it.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "backend/config/loader.h"
#include "backend/core/diagnostics.h"
#include "backend/data/csv.h"
#include "backend/data/synth.h"
#include "backend/journal/reader.h"
#include "backend/registry/registry.h"
#include "frontends/cli/data_cmd.h"
#include "frontends/cli/plugins_cmd.h"
#include "services/explain/explain.h"
#include "services/report/report.h"
#include "services/runner/run_manifest.h"
#include "services/runner/strategy_runner.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultConfig = "config";

// Finds the config directory: as given, else next to the executable's source tree.
std::string config_dir(const std::string& given) { return given.empty() ? kDefaultConfig : given; }

int print_diagnostics(const st::Diagnostics& diags) {
  for (const auto& d : diags.items()) std::cerr << "error: " << d.to_string() << '\n';
  std::cerr << fmt::format("{} error{} found\n", diags.size(), diags.size() == 1 ? "" : "s");
  return 1;
}

struct Loaded {
  st::PluginRegistry registry;
  st::config::ConfigSet config;
};

// Loads plugins and configuration; prints every problem and returns nullopt when any.
std::optional<Loaded> load_all(const std::string& dir, const std::vector<std::string>& overrides) {
  st::Diagnostics diags;
  // platform.yaml names extra plugin dirs; read it first without a catalog.
  st::config::LoadOptions first;
  first.overrides = overrides;
  st::Diagnostics ignore;
  auto preliminary = st::config::load_config(dir, nullptr, first, ignore);
  std::vector<std::string> plugin_dirs;
  for (const auto& p : preliminary.platform.plugin_dirs) {
    fs::path path(p);
    if (path.is_relative()) path = fs::path(dir).parent_path() / path;
    plugin_dirs.push_back(path.string());
  }
  auto registry = st::PluginRegistry::load(plugin_dirs, diags);
  auto cfg = st::config::load_config(dir, &registry, first, diags);
  if (!diags.empty()) {
    print_diagnostics(diags);
    return std::nullopt;
  }
  return Loaded{std::move(registry), std::move(cfg)};
}

// `s1mpletrader bench ...` runs the benchmark binary built beside this one: it has its own
// allocation-counting operator new, which the product binary must not carry.
int run_bench(const std::vector<std::string>& args) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(self.parent_path() / "s1mpletrader-bench");
    candidates.push_back(self.parent_path().parent_path().parent_path() / "bench" / "s1mpletrader-bench");
  }
  for (const auto& c : candidates) {
    if (!fs::exists(c)) continue;
    std::vector<std::string> argv_s = {c.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(c.c_str(), argv.data());
    std::cerr << fmt::format("error: cannot run {}: {}\n", c.string(), std::strerror(errno));
    return 1;
  }
  std::cerr << "error: s1mpletrader-bench is not built (looked beside this binary and in build/bench/); run make\n";
  return 1;
}

std::string default_run_dir(const st::config::ConfigSet& cfg, const std::string& operation) {
  fs::path base = fs::path(cfg.dir).parent_path() / cfg.platform.runs_dir;
  if (fs::path(cfg.platform.runs_dir).is_absolute()) base = cfg.platform.runs_dir;
  return (base / operation).string();
}

// An option given an empty value ("--config $DIR" with DIR unset) is refused with its name, not
// taken as absent: absent means a default, which would run something the user did not ask for.
// Returns what to call the first such option ("--config", "the file argument"), or "" when there
// is none.
std::string empty_option(const CLI::App& app) {
  for (const CLI::Option* o : app.get_options())
    if (o->count() > 0)
      for (const std::string& value : o->results())
        if (value.empty()) return o->nonpositional() ? o->get_name() : fmt::format("the {} argument", o->get_name());
  for (const CLI::App* sub : app.get_subcommands())
    if (std::string name = empty_option(*sub); !name.empty()) return name;
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"S1mpleTrader — plugin-first, event-driven trading platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "s1mpletrader 0.1.0");

  std::string config;
  std::vector<std::string> sets;

  auto* validate = app.add_subcommand("validate", "Validate the configuration and every plugin manifest");
  validate->add_option("--config", config, "Configuration directory (default: config)");
  validate->add_option("--set", sets, "Override a value: KEY.PATH=VALUE (repeatable)");

  auto* plugins = app.add_subcommand("plugins", "List and inspect plugins");
  plugins->require_subcommand(1);
  bool json = false;
  auto* plist = plugins->add_subcommand("list", "List every available plugin");
  plist->add_flag("--json", json, "Machine-readable output");
  plist->add_option("--config", config, "Configuration directory (for user plugin_dirs)");
  std::string plugin_name;
  auto* pshow = plugins->add_subcommand("show", "Show one plugin's manifest");
  pshow->add_option("NAME", plugin_name, "Plugin name")->required();
  pshow->add_flag("--json", json, "Machine-readable output");
  pshow->add_option("--config", config, "Configuration directory (for user plugin_dirs)");

  auto* backtest = app.add_subcommand("backtest", "Run the backtest strategy links of an operation");
  std::string operation, data, out, link_name;
  bool quiet = false;
  backtest->add_option("--config", config, "Configuration directory (default: config)");
  backtest->add_option("--operation", operation, "Operation name (default: the first in index.yaml)");
  backtest->add_option("--link", link_name, "Run only this strategy link");
  backtest->add_option("--data", data, "CSV or Parquet file replacing the data source of the links being run");
  backtest->add_option("--set", sets, "Override a value: KEY.PATH=VALUE (repeatable)");
  backtest->add_option("--out", out, "Run directory (default: <runs_dir>/<operation>)");
  backtest->add_flag("--quiet", quiet, "No progress output");
  bool parquet_outputs = false;
  backtest->add_flag("--parquet", parquet_outputs, "Also write trades.parquet and equity.parquet");
  bool no_context_blocks = false;
  backtest->add_flag("--no-context-blocks", no_context_blocks,
                     "Run every context worker on every bar instead of in blocks ahead (same results, slower)");
  std::string resume_dir;
  backtest->add_option("--resume", resume_dir,
                       "Continue a killed run in this run directory, with the arguments it was started with");

  auto* explain = app.add_subcommand("explain", "Explain a trade from a run's journal");
  std::string run_dir, trade_id;
  explain->add_option("--run", run_dir, "Run directory (or a link's folder in it)")->required();
  explain->add_option("TRADE_ID", trade_id, "The trade's id (see trades.csv)")->required();
  explain->add_flag("--json", json, "Machine-readable output");

  auto* report = app.add_subcommand("report", "Regenerate report.html of a run, or print its metrics");
  std::string report_format = "html";
  report->add_option("--run", run_dir, "Run directory (or a link's folder in it)")->required();
  report->add_option("--format", report_format, "html (write report.html), json or markdown (print the metrics)")
      ->check(CLI::IsMember({"html", "json", "markdown"}));

  auto* data_cmd = app.add_subcommand("data", "Market data tools");
  data_cmd->require_subcommand(1);
  auto* synth = data_cmd->add_subcommand("synth", "Write a deterministic synthetic OHLCV series (CSV or Parquet)");
  st::config::SynthConfig synth_cfg;
  std::string timeframe = "1h";
  synth->add_option("--out", out, "Output file: .csv, or .parquet (ZSTD)")->required();
  synth->add_option("--seed", synth_cfg.seed, "Random seed");
  synth->add_option("--bars", synth_cfg.bars, "Number of bars")->check(CLI::Range(1LL, 1000000000LL));
  synth->add_option("--start", synth_cfg.start, "First bar time (ISO-8601 UTC)");
  synth->add_option("--timeframe", timeframe, "Bar length (1m, 5m, 1h, 1d, ...)");
  synth->add_option("--price", synth_cfg.start_price, "First price")->check(CLI::PositiveNumber);
  synth->add_option("--volatility", synth_cfg.volatility, "Per-bar stdev of log returns")->check(CLI::Range(1e-9, 1.0));
  synth->add_option("--drift", synth_cfg.drift,
                    "Per-bar mean of log returns (default 0.0002; use 0 for long minute series, which it compounds)")
      ->check(CLI::Range(-0.1, 0.1));
  auto* bench = app.add_subcommand(
      "bench", "The reproducible benchmark (docs/PERFORMANCE.md); arguments go to s1mpletrader-bench (--help)");
  bench->allow_extras();
  bench->prefix_command();
  bench->set_help_flag();  // --help goes to s1mpletrader-bench, which lists its options
  st::DataCommandArgs data_args;
  auto* import_cmd = data_cmd->add_subcommand("import", "Convert a data file (CSV dialects, freqtrade JSON) to Parquet or CSV");
  import_cmd->add_option("input", data_args.input, "Input file")->required();
  import_cmd->add_option("--out", data_args.output, "Output file: .parquet (ZSTD) or .csv")->required();
  import_cmd->add_option("--format", data_args.format, "auto|generic|yahoo|binance|backtrader|freqtrade-json");
  import_cmd->add_flag("--skip-bad", data_args.skip_bad, "Skip bad rows (and report them) instead of failing");
  import_cmd->add_option("--utc-offset", data_args.utc_offset, "Local time of backtrader files, e.g. +01:00");
  import_cmd->add_option("--codec", data_args.codec, "Parquet codec: zstd (default), snappy, gzip, none");
  import_cmd->add_option("--encoding", data_args.encoding,
                         "Parquet encoding: byte_stream_split (default: prices and volume split into byte "
                         "streams, times as deltas; several times faster to decode with zstd, ~10% larger; "
                         "DuckDB >= 0.10 reads it) or plain (smallest; every Parquet reader)");
  import_cmd->add_option("--row-group", data_args.row_group_rows, "Parquet rows per row group")
      ->check(CLI::Range(1LL, 100000000LL));
  import_cmd->add_flag("--quiet", data_args.quiet, "No progress output");
  auto* info_cmd = data_cmd->add_subcommand("info", "Rows, range, timeframe and gaps of a data file (any format)");
  info_cmd->add_option("file", data_args.input, "Data file")->required();
  info_cmd->add_option("--format", data_args.format, "auto|generic|yahoo|binance|backtrader|freqtrade-json");
  info_cmd->add_option("--utc-offset", data_args.utc_offset, "Local time of backtrader files, e.g. +01:00");

  CLI11_PARSE(app, argc, argv);
  if (const std::string name = empty_option(app); !name.empty()) {
    std::cerr << fmt::format("error: {} was given an empty value\n", name);
    return 2;
  }

  try {
    if (validate->parsed()) {
      auto loaded = load_all(config_dir(config), sets);
      if (!loaded) return 1;
      std::cout << st::config::summary(loaded->config) << '\n';
      return 0;
    }
    if (plugins->parsed()) {
      st::Diagnostics diags;
      std::vector<std::string> dirs;
      if (!config.empty()) {
        auto loaded = load_all(config_dir(config), {});
        if (!loaded) return 1;
        return plist->parsed() ? st::plugins_list(loaded->registry, json, std::cout)
                               : st::plugins_show(loaded->registry, plugin_name, json, std::cout, std::cerr);
      }
      auto registry = st::PluginRegistry::load(dirs, diags);
      if (!diags.empty()) return print_diagnostics(diags);
      return plist->parsed() ? st::plugins_list(registry, json, std::cout)
                             : st::plugins_show(registry, plugin_name, json, std::cout, std::cerr);
    }
    if (backtest->parsed()) {
      if (!resume_dir.empty()) {
        for (const char* opt : {"--config", "--operation", "--link", "--data", "--set", "--out", "--parquet"})
          if (backtest->count(opt) > 0) {
            std::cerr << fmt::format("error: --resume takes the run's arguments from {}/run.json; drop {}\n",
                                     resume_dir, opt);
            return 2;
          }
        st::RunManifest run;
        try {
          run = st::read_run_manifest(resume_dir);
        } catch (const st::Error& e) {
          std::cerr << "error: " << e.what() << '\n';
          return 2;
        }
        config = run.config;
        operation = run.operation;
        link_name = run.link;
        data = run.data;
        sets = run.sets;
        parquet_outputs = run.parquet;
        out = resume_dir;
      }
      auto loaded = load_all(config_dir(config), sets);
      if (!loaded) return 1;
      const auto& cfg = loaded->config;
      const st::config::OperationConfig* op = nullptr;
      for (const auto& o : cfg.operations)
        if (operation.empty() || o.name == operation) {
          op = &o;
          break;
        }
      if (op == nullptr) {
        std::cerr << fmt::format("error: no operation named \"{}\"\n", operation);
        return 2;
      }
      st::RunOptions options;
      options.out_dir = out.empty() ? default_run_dir(cfg, op->name) : out;
      if (!data.empty()) options.data_override = data;
      options.resume = !resume_dir.empty();
      options.parquet_outputs = parquet_outputs;
      options.context_blocks = !no_context_blocks;
      if (!options.resume) {
        st::write_run_manifest(options.out_dir, {fs::absolute(config_dir(config)).string(), op->name, link_name,
                                                 data.empty() ? "" : fs::absolute(data).string(), sets,
                                                 parquet_outputs});
      }
      const bool tty = isatty(fileno(stderr)) != 0;
      if (!quiet) {
        options.progress = [tty](const st::RunProgress& p) {
          if (p.phase != nullptr) {
            std::cerr << fmt::format("{}{}: {} bars; {}", tty ? "\r" : "", p.link, p.bars, p.phase)
                      << (tty ? "" : "\n") << std::flush;
            return;
          }
          if (p.total_bars == p.bars && p.total_bars != 0) {
            if (tty) std::cerr << '\r' << std::string(100, ' ') << '\r';
            return;
          }
          std::cerr << fmt::format("{}{}: {} bars{}", tty ? "\r" : "", p.link, p.bars,
                                   p.total_bars ? fmt::format(" of {}", p.total_bars) : "")
                    << (tty ? "" : "\n") << std::flush;
        };
      }
      int ran = 0;
      for (const auto& link : op->strategy_links) {
        if (!link.enabled || (!link_name.empty() && link.name != link_name)) continue;
        if (link.environment != st::config::Environment::kBacktest) {
          std::cerr << fmt::format("skipping link \"{}\": only backtest links run here\n", link.name);
          continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        auto summary = st::run_link(cfg, loaded->registry, link, options);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (const auto& note : summary.recovery_notes) std::cerr << "recovery: " << note << '\n';
        if (options.resume)
          std::cout << fmt::format("{}: resumed: {} journal entries on disk verified, {} written after them\n",
                                   link.name, summary.resumed_entries, summary.journal_entries - summary.resumed_entries);
        std::cout << st::render_summary(summary)
                  << fmt::format("  {:.3f} s, {:.0f} bars/s\n", secs, secs > 0 ? summary.bars / secs : 0.0);
        ++ran;
      }
      if (ran == 0) {
        std::cerr << "error: no strategy link matched\n";
        return 2;
      }
      std::cout << fmt::format("run directory: {}\n", options.out_dir);
      return 0;
    }
    if (report->parsed()) {
      std::vector<fs::path> links;
      if (fs::exists(fs::path(run_dir) / "summary.json")) {
        links.push_back(run_dir);
      } else if (fs::is_directory(run_dir)) {
        for (const auto& e : fs::directory_iterator(run_dir))
          if (fs::exists(e.path() / "summary.json")) links.push_back(e.path());
        std::sort(links.begin(), links.end());
      }
      if (links.empty()) {
        std::cerr << fmt::format("error: no summary.json in {} or its link folders\n", run_dir);
        return 2;
      }
      for (const auto& link : links) {
        if (report_format == "html") {
          std::cout << "wrote " << st::write_report(link.string()) << '\n';
          continue;
        }
        std::ifstream in(link / "summary.json");
        const auto summary = nlohmann::ordered_json::parse(in);
        nlohmann::ordered_json m{{"link", summary.value("link", "")},
                                 {"metrics", summary["metrics"]},
                                 {"conventions", summary["conventions"]}};
        if (report_format == "json")
          std::cout << m.dump(2) << '\n';
        else
          std::cout << "## " << m["link"].get<std::string>() << "\n\n" << st::metrics_markdown(m) << '\n';
      }
      return 0;
    }
    if (explain->parsed()) {
      fs::path dir(run_dir);
      std::vector<fs::path> journals;
      if (fs::exists(dir / "journal.jsonl")) {
        journals.push_back(dir / "journal.jsonl");
      } else if (fs::is_directory(dir)) {
        for (const auto& e : fs::directory_iterator(dir))
          if (fs::exists(e.path() / "journal.jsonl")) journals.push_back(e.path() / "journal.jsonl");
        std::sort(journals.begin(), journals.end());
      }
      if (journals.empty()) {
        std::cerr << fmt::format("error: no journal.jsonl in {} or its link folders\n", run_dir);
        return 2;
      }
      for (const auto& j : journals) {
        const auto ex = st::explain_trade_in_file(j.string(), trade_id);  // st::Error for a corrupt journal
        if (!ex) continue;
        if (json)
          std::cout << st::render_json(*ex).dump(2) << '\n';
        else
          std::cout << st::render_text(*ex);
        return 0;
      }
      std::cerr << fmt::format("error: trade {} not found in {}\n", trade_id,
                               journals.size() == 1 ? journals[0].string() : "the journals of " + run_dir);
      return 2;
    }
    if (bench->parsed()) return run_bench(bench->remaining());
    if (import_cmd->parsed()) {
      data_args.parquet_options =
          import_cmd->count("--codec") + import_cmd->count("--encoding") + import_cmd->count("--row-group") > 0;
      return st::data_import(data_args, std::cout, std::cerr);
    }
    if (info_cmd->parsed()) return st::data_info(data_args, std::cout, std::cerr);
    if (synth->parsed()) {
      auto tf = st::parse_timeframe(timeframe);
      if (!tf) {
        std::cerr << fmt::format("error: --timeframe: \"{}\" is not a timeframe like 1m, 1h, 1d\n", timeframe);
        return 2;
      }
      if (!st::parse_iso(synth_cfg.start)) {
        std::cerr << fmt::format("error: --start: \"{}\" is not an ISO-8601 time\n", synth_cfg.start);
        return 2;
      }
      auto source = st::make_synth(synth_cfg, *tf);
      st::write_bars(out, *source);
      std::cout << fmt::format("wrote {} bars to {}\n", synth_cfg.bars, out);
      return 0;
    }
  } catch (const st::Error& e) {
    for (const auto& d : e.diagnostics().items()) std::cerr << "error: " << d.to_string() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
