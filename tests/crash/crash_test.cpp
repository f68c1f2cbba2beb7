// Fault injection: a backtest is killed with SIGKILL at random moments (seeded), then continued
// with `backtest --resume`. After every kill the state files on disk must be readable; after
// every resume the run directory must equal, byte for byte, the one of an uninterrupted run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backend/persistence/state_persistor.h"

namespace st {
namespace {
namespace fs = std::filesystem;

constexpr const char* kBars = "operation.strategy_links[0].data.synth.bars=100000";
const std::vector<std::string> kOutputs = {"journal.jsonl", "trades.csv", "ledger.json",
                                           "equity.csv",    "summary.json", "report.html"};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts the CLI with `args`; stdout and stderr go to `log`.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(ST_CLI));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ST_CLI, argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

// Kills `pid` after `delay` unless it ends first; true when it was killed. `ended_after` gets
// the run time of a process that ended before the kill.
bool kill_after(pid_t pid, std::chrono::microseconds delay, std::chrono::microseconds* ended_after = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + delay;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      if (ended_after != nullptr)
        *ended_after = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

std::vector<std::string> fresh_run(const fs::path& out) {
  return {"backtest", "--config", std::string(ST_SOURCE_DIR) + "/config", "--link", "trend_synth",
          "--set",    kBars,      "--out",                                 out.string(), "--quiet"};
}

// What a crash may leave: ledger.json whole (checksum holds) and journal lines that are whole
// entries, except the last one, which may be torn.
void expect_readable_state(const fs::path& link_dir, int kill) {
  const fs::path ledger = link_dir / "ledger.json";
  if (fs::exists(ledger)) {
    std::string why;
    EXPECT_TRUE(decode_state_file(slurp(ledger), &why)) << "kill " << kill << ": ledger.json unreadable: " << why;
  }
  std::ifstream in(link_dir / "journal.jsonl", std::ios::binary);
  std::string line, previous;
  bool have_previous = false;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (have_previous) {
      EXPECT_TRUE(nlohmann::json::accept(previous)) << "kill " << kill << ": journal line " << n << " is not whole";
    }
    previous = line;
    have_previous = true;
    ++n;
  }
}

class CrashSafety : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest runs each test of this suite as its own process, in parallel.
    base_ = fs::path(ST_BINARY_DIR) / "crash_test" / std::to_string(::getpid());
    fs::remove_all(base_);
    fs::create_directories(base_);
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(wait_exit(spawn(fresh_run(base_ / "reference"), base_ / "reference.log")), 0)
        << slurp(base_ / "reference.log");
    full_run_ = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    for (const auto& f : kOutputs) reference_[f] = slurp(base_ / "reference" / "trend_synth" / f);
  }
  static void TearDownTestSuite() {
    if (!::testing::UnitTest::GetInstance()->Failed()) fs::remove_all(base_);  // keep what a failure left, for a look
  }
  static fs::path base_;
  static std::chrono::microseconds full_run_;
  static std::map<std::string, std::string> reference_;
};
fs::path CrashSafety::base_;
std::chrono::microseconds CrashSafety::full_run_{0};
std::map<std::string, std::string> CrashSafety::reference_;

TEST_F(CrashSafety, KilledAtFiftyRandomMomentsResumeGivesTheUninterruptedRunByteForByte) {
  ASSERT_GT(reference_["journal.jsonl"].size(), 100000u);
  std::mt19937_64 rng(20261202);
  // Kill moments over the whole run and a little beyond (the final outputs). The run time is
  // measured again by every run that ends before its kill, as the machine's load changes.
  std::int64_t run_time = full_run_.count();
  auto moment = [&] { return std::chrono::microseconds(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(run_time * 23 / 20 + 1))); };
  int kills = 0, attempts = 0, double_kills = 0, torn_journals = 0;
  while (kills < 52 && attempts < 400) {
    ++attempts;
    const fs::path out = base_ / "killed";
    fs::remove_all(out);
    const auto delay = moment();
    std::chrono::microseconds ended{0};
    if (!kill_after(spawn(fresh_run(out), base_ / "killed.log"), delay, &ended)) {  // ended before the kill
      ASSERT_EQ(slurp(out / "trend_synth" / "journal.jsonl"), reference_["journal.jsonl"]) << slurp(base_ / "killed.log");
      run_time = std::min(run_time, static_cast<std::int64_t>(ended.count()));
      continue;
    }
    ++kills;
    const fs::path link = out / "trend_synth";
    expect_readable_state(link, kills);
    if (fs::exists(link / "journal.jsonl")) {
      // SIGKILL rarely tears a write (the kernel finishes it); a power cut does. Every third kill
      // tears the journal's last line by hand, so that resume also meets torn journals.
      const auto size = fs::file_size(link / "journal.jsonl");
      if (size > 0 && rng() % 3 == 0) fs::resize_file(link / "journal.jsonl", size - 1 - rng() % std::min<std::uintmax_t>(size, 120));
      const std::string j = slurp(link / "journal.jsonl");
      if (!j.empty() && j.back() != '\n') ++torn_journals;
    }
    if (!fs::exists(out / "run.json")) continue;  // killed before the run started: nothing to resume
    const std::vector<std::string> resume = {"backtest", "--resume", out.string(), "--quiet"};
    if (rng() % 4 == 0 && kill_after(spawn(resume, base_ / "resume.log"), moment())) {
      ++double_kills;  // the resume itself is killed, and resumed again
      expect_readable_state(link, kills);
    }
    ASSERT_EQ(wait_exit(spawn(resume, base_ / "resume.log")), 0)
        << "kill " << kills << " after " << delay.count() << " us: " << slurp(base_ / "resume.log");
    for (const auto& f : kOutputs)
      ASSERT_TRUE(slurp(link / f) == reference_[f])
          << "kill " << kills << " after " << delay.count() << " us: " << f << " differs from the uninterrupted run";
    for (const auto& e : fs::directory_iterator(link))
      EXPECT_FALSE(e.path().extension() == ".tmp" || e.path().extension() == ".partial") << e.path();
  }
  EXPECT_GE(kills, 50) << "the run ended before most kills: " << attempts << " attempts";
  RecordProperty("kills", kills);
  RecordProperty("double_kills", double_kills);
  RecordProperty("torn_journals", torn_journals);
  std::cout << "kills " << kills << " (resume killed too: " << double_kills << ", torn journal line: " << torn_journals
            << "), attempts " << attempts << ", uninterrupted run " << full_run_.count() / 1000 << " ms\n";
}

TEST_F(CrashSafety, ResumeRefusesARunWhoseInputsChanged) {
  const fs::path out = base_ / "changed";
  fs::remove_all(out);
  fs::copy(base_ / "reference", out, fs::copy_options::recursive);
  std::string manifest = slurp(out / "run.json");
  manifest.replace(manifest.find("bars=100000"), 11, "bars=100001");
  std::ofstream(out / "run.json", std::ios::binary | std::ios::trunc) << manifest;
  EXPECT_NE(wait_exit(spawn({"backtest", "--resume", out.string(), "--quiet"}, base_ / "changed.log")), 0);
  const std::string log = slurp(base_ / "changed.log");
  EXPECT_NE(log.find("journal.jsonl:1: cannot resume"), std::string::npos) << log;
  EXPECT_EQ(slurp(out / "trend_synth" / "journal.jsonl"), reference_["journal.jsonl"]) << "the journal was touched";
}

TEST_F(CrashSafety, ResumeWithoutARunManifestSaysWhy) {
  const fs::path out = base_ / "empty";
  fs::create_directories(out);
  EXPECT_EQ(wait_exit(spawn({"backtest", "--resume", out.string()}, base_ / "empty.log")), 2);
  EXPECT_NE(slurp(base_ / "empty.log").find("nothing to resume"), std::string::npos) << slurp(base_ / "empty.log");
  EXPECT_EQ(wait_exit(spawn({"backtest", "--resume", out.string(), "--set", "a=b"}, base_ / "empty.log")), 2);
  EXPECT_NE(slurp(base_ / "empty.log").find("drop --set"), std::string::npos) << slurp(base_ / "empty.log");
}

}  // namespace
}  // namespace st
