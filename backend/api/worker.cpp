#include "backend/api/worker.h"

#include "backend/core/diagnostics.h"

namespace st {

const char* to_string(WorkerCategory c) {
  switch (c) {
    case WorkerCategory::kContext: return "context";
    case WorkerCategory::kOpportunity: return "opportunity";
    case WorkerCategory::kThreat: return "threat";
    case WorkerCategory::kPlanning: return "planning";
    case WorkerCategory::kExecution: return "execution";
  }
  return "?";
}

void Stateful::commit_state() {
  if (persistor_ == nullptr) throw Error("commit_state(): no state persistor was injected");
  persistor_->save(key_, state_);
}

void EventAware::emit(std::string_view event, const Details& payload) {
  if (emitter_ == nullptr) throw Error("emit(): no event handler was injected");
  emitter_->emit(source_, event, payload);
}

void Journaling::journal(const WorkerJournalEntry& entry) {
  if (journal_ == nullptr) throw Error("journal(): no journal writer was injected");
  journal_->write(source_, entry);
}

}  // namespace st
