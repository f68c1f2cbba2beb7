// ComponentBuilder: blueprint -> workforce per category (DESIGN §4, assembly). Mechanical: every
// worker goes through the WorkerBuilder (manifest-driven construction and injection); the only
// ordering it adds is the planning chain's phase order (entry -> exit -> size -> routing).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/api/worker.h"
#include "backend/assembly/worker_builder.h"
#include "backend/config/config.h"
#include "backend/registry/registry.h"

namespace st {

struct BuiltWorker {
  Worker* worker = nullptr;
  const Manifest* manifest = nullptr;
};

struct Workforce {
  std::vector<std::unique_ptr<Worker>> owned;
  std::vector<ContextWorker*> context;
  std::vector<OpportunityWorker*> opportunity;
  std::vector<ThreatWorker*> threat;
  std::vector<PlanningWorker*> planning;  // in phase order
  std::vector<ExecutionWorker*> execution;
  // Manifests, index-aligned with the vectors above.
  std::vector<const Manifest*> context_manifests, opportunity_manifests, threat_manifests,
      planning_manifests, execution_manifests;
  std::size_t size() const { return owned.size(); }
};

// Phase of a planning subtype: 0 entry, 1 exit, 2 size, 3 routing.
int planning_phase(const std::string& subtype);
const char* planning_phase_name(int phase);

// Builds every worker of the blueprint in category order (context first, so that their columns
// exist when later workers resolve them). Collects all problems and throws one st::Error.
Workforce build_workforce(const PluginRegistry& registry, const config::Blueprint& blueprint,
                          const WorkerServices& services, BindContext& bind);

}  // namespace st
