// WorkerBuilder (DESIGN §4, assembly): builds one worker of a blueprint, mechanically, from its
// manifest. It validates the params against the manifest's schema (defaults filled in), checks
// that the code is the category the manifest says and that it implements exactly the
// capabilities the manifest declares (an undeclared capability is refused: a worker cannot
// quietly write state or emit events), injects the services of those capabilities, restores
// saved state, and calls bind() so that names become column ids once.
#pragma once

#include <memory>
#include <string>

#include "backend/api/worker.h"
#include "backend/config/config.h"
#include "backend/registry/registry.h"

namespace st {

// What the builder can inject. A capability whose service is missing is an assembly error.
struct WorkerServices {
  IStatePersistor* state = nullptr;
  IEventEmitter* events = nullptr;
  IJournalWriter* journal = nullptr;
  std::string state_key_prefix;  // state key = prefix + worker id
};

// Throws st::Error with every problem found, each at the worker's position in `file`.
std::unique_ptr<Worker> build_worker(const PluginRegistry& registry, const config::WorkerConfig& worker,
                                     WorkerCategory expected, const WorkerServices& services, BindContext& bind,
                                     const std::string& file);

}  // namespace st
