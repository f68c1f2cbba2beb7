// Mutated and truncated YAML never crashes the loader, never throws, and every problem it reports
// names a file.
#include <gtest/gtest.h>

#include <random>

#include "backend/config/loader.h"
#include "backend/registry/registry.h"
#include "tests/config/suite.h"

namespace st {
namespace {
namespace fs = std::filesystem;

std::string mutate(std::string text, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  static const char kBytes[] = ":[]{}\t\0\"'-#&*!|>%@,?\n ";
  switch (rng() % 8) {
    case 0:  // delete a character
      if (!text.empty()) text.erase(pick(text.size()), 1);
      break;
    case 1: {  // delete a line
      const std::size_t at = text.find('\n', pick(text.size()));
      if (at != std::string::npos) {
        const std::size_t end = text.find('\n', at + 1);
        text.erase(at, end == std::string::npos ? std::string::npos : end - at);
      }
      break;
    }
    case 2: {  // duplicate a line
      const std::size_t at = text.rfind('\n', pick(text.size()));
      const std::size_t start = at == std::string::npos ? 0 : at + 1;
      const std::size_t end = text.find('\n', start);
      const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
      text.insert(start, line);
      break;
    }
    case 3:  // truncate
      text.resize(pick(text.size() + 1));
      break;
    case 4:  // insert special bytes
      for (int i = 0, n = 1 + static_cast<int>(rng() % 4); i < n; ++i)
        text.insert(pick(text.size() + 1), 1, kBytes[pick(sizeof kBytes - 1)]);
      break;
    case 5:  // random bytes
      for (int i = 0; i < 8; ++i) text.insert(pick(text.size() + 1), 1, static_cast<char>(rng() & 0xFF));
      break;
    case 6: {  // swap two lines
      std::vector<std::string> lines;
      std::stringstream s(text);
      for (std::string l; std::getline(s, l);) lines.push_back(l);
      if (lines.size() > 1) std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
      text.clear();
      for (const auto& l : lines) text += l + "\n";
      break;
    }
    default: {  // change indentation
      const std::size_t at = text.find("\n  ", pick(text.size()));
      if (at != std::string::npos) text.erase(at + 1, 1 + rng() % 2);
      break;
    }
  }
  return text;
}

TEST(ConfigFuzz, MutatedFilesNeverCrashAndEveryErrorNamesAFile) {
  Diagnostics rd;
  const auto registry = PluginRegistry::load({}, rd);
  ASSERT_TRUE(rd.empty());
  const fs::path dir = testing::scratch_config("fuzz");
  const char* files[] = {"index.yaml", "platform.yaml", "operators.yaml", "schedule.yaml", "connectors.yaml",
                         "operation.yaml", "runs/trend_follower.yaml", "runs/weekly_dca.yaml"};
  std::mt19937_64 rng(20261124);
  std::size_t runs = 0, rejected = 0;
  for (const char* f : files) {
    const std::string original = testing::slurp(fs::path(ST_SOURCE_DIR) / "config" / f);
    for (int i = 0; i < 300; ++i) {
      std::string text = original;
      for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) text = mutate(std::move(text), rng);
      std::ofstream(dir / f, std::ios::binary | std::ios::trunc) << text;
      Diagnostics diags;
      ASSERT_NO_THROW(config::load_config(dir.string(), &registry, {}, diags)) << f << " mutation " << i;
      for (const auto& d : diags.items()) ASSERT_FALSE(d.where.file.empty()) << d.to_string();
      rejected += !diags.empty();
      ++runs;
    }
    std::ofstream(dir / f, std::ios::binary | std::ios::trunc) << original;
  }
  EXPECT_EQ(runs, 2400u);
  EXPECT_GT(rejected, runs / 2);  // most mutations are mistakes, and they are found
}

}  // namespace
}  // namespace st
