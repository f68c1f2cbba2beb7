#include "backend/persistence/persistor_factory.h"

#include <filesystem>

#include "backend/persistence/state_persistor.h"

namespace st {

LinkPersistors PersistorFactory::create(config::Environment environment, const std::string& link_dir, bool resume) {
  namespace fs = std::filesystem;
  LinkPersistors p;
  const std::string journal = (fs::path(link_dir) / "journal.jsonl").string();
  if (environment == config::Environment::kBacktest) {
    p.state = std::make_unique<BacktestStatePersistor>();
    p.journal = std::make_unique<FileJournalPersistor>(journal, SyncPolicy::kBatched,
                                                       resume ? JournalOpen::kResume : JournalOpen::kCreate);
  } else {
    p.state = std::make_unique<JsonStatePersistor>((fs::path(link_dir) / "state").string());
    // Append: a restarted paper/live link continues its journal.
    p.journal = std::make_unique<FileJournalPersistor>(journal, SyncPolicy::kEveryEntry, JournalOpen::kAppend);
  }
  return p;
}

}  // namespace st
