// PersistorFactory (DESIGN §8): which persistors a strategy link gets, decided by its
// environment, so that no runner or worker chooses storage itself.
//
//   environment  state                                   journal
//   backtest     in the workers; commits counted, never  file, batched (a resumed run replays
//                read back (BacktestStatePersistor)      from its first bar and checks it)
//   paper/live   JSON files, atomic replace + fsync      file, appended and fsync'ed per entry
#pragma once

#include <memory>
#include <string>

#include "backend/api/worker.h"
#include "backend/config/config.h"
#include "backend/journal/journal_persistor.h"

namespace st {

struct LinkPersistors {
  std::unique_ptr<IStatePersistor> state;
  std::unique_ptr<IJournalPersistor> journal;
};

class PersistorFactory {
 public:
  // `link_dir`: the link's directory (journal.jsonl, state/). Throws st::Error naming the path
  // when a file cannot be created.
  // `resume`: continue a killed deterministic run (backtests): the journal is opened with
  // JournalOpen::kResume.
  static LinkPersistors create(config::Environment environment, const std::string& link_dir, bool resume = false);
};

}  // namespace st
