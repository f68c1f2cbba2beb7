#include "backend/assembly/component_builder.h"

#include <algorithm>
#include <numeric>

namespace st {

int planning_phase(const std::string& subtype) {
  if (subtype == "ENTRY_PLANNING") return 0;
  if (subtype == "EXIT_PLANNING") return 1;
  if (subtype == "SIZE_PLANNING") return 2;
  return 3;  // ORDER_ROUTING
}

const char* planning_phase_name(int phase) {
  static constexpr const char* kNames[] = {"entry", "exit", "size", "routing"};
  return kNames[std::clamp(phase, 0, 3)];
}

namespace {

template <class T>
void build_category(const PluginRegistry& registry, const config::Blueprint& bp,
                    const std::vector<config::WorkerConfig>& workers, WorkerCategory category,
                    const WorkerServices& services, BindContext& bind, Workforce& wf, std::vector<T*>& out,
                    std::vector<const Manifest*>& manifests, Diagnostics& diags) {
  for (const auto& wc : workers) {
    try {
      auto w = build_worker(registry, wc, category, services, bind, bp.file);
      out.push_back(dynamic_cast<T*>(w.get()));
      manifests.push_back(registry.find(wc.plugin));
      wf.owned.push_back(std::move(w));
    } catch (const Error& e) {
      diags.append(e.diagnostics());
    }
  }
}

}  // namespace

Workforce build_workforce(const PluginRegistry& registry, const config::Blueprint& bp,
                          const WorkerServices& services, BindContext& bind) {
  Workforce wf;
  Diagnostics diags;
  build_category(registry, bp, bp.context, WorkerCategory::kContext, services, bind, wf, wf.context,
                 wf.context_manifests, diags);
  build_category(registry, bp, bp.opportunity, WorkerCategory::kOpportunity, services, bind, wf, wf.opportunity,
                 wf.opportunity_manifests, diags);
  build_category(registry, bp, bp.threat, WorkerCategory::kThreat, services, bind, wf, wf.threat,
                 wf.threat_manifests, diags);
  build_category(registry, bp, bp.planning, WorkerCategory::kPlanning, services, bind, wf, wf.planning,
                 wf.planning_manifests, diags);
  build_category(registry, bp, bp.execution, WorkerCategory::kExecution, services, bind, wf, wf.execution,
                 wf.execution_manifests, diags);
  if (!diags.empty()) throw Error(std::move(diags));
  // Planning chain in phase order; blueprint order within a phase.
  std::vector<std::size_t> order(wf.planning.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return planning_phase(wf.planning_manifests[a]->subtype) < planning_phase(wf.planning_manifests[b]->subtype);
  });
  std::vector<PlanningWorker*> planning;
  std::vector<const Manifest*> manifests;
  for (std::size_t i : order) {
    planning.push_back(wf.planning[i]);
    manifests.push_back(wf.planning_manifests[i]);
  }
  wf.planning = std::move(planning);
  wf.planning_manifests = std::move(manifests);
  return wf;
}

}  // namespace st
