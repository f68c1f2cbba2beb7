#include "backend/assembly/worker_builder.h"

#include <fmt/format.h>

namespace st {

// The one place that may set a worker's private parts (friend of Worker and the mixins).
class WorkerAccess {
 public:
  static void set(Worker& w, WorkerInfo info, Params params) {
    w.info_ = std::move(info);
    w.params_ = std::move(params);
  }
  static void inject(Stateful& s, IStatePersistor* p, std::string key) {
    s.persistor_ = p;
    s.key_ = std::move(key);
  }
  static void restore(Stateful& s, nlohmann::ordered_json state) { s.state_ = std::move(state); }
  static void inject(EventAware& e, IEventEmitter* emitter, std::string source) {
    e.emitter_ = emitter;
    e.source_ = std::move(source);
  }
  static void inject(Journaling& j, IJournalWriter* writer, std::string source) {
    j.journal_ = writer;
    j.source_ = std::move(source);
  }
};

namespace {

bool is_category(Worker& w, WorkerCategory c) {
  switch (c) {
    case WorkerCategory::kContext: return dynamic_cast<ContextWorker*>(&w) != nullptr;
    case WorkerCategory::kOpportunity: return dynamic_cast<OpportunityWorker*>(&w) != nullptr;
    case WorkerCategory::kThreat: return dynamic_cast<ThreatWorker*>(&w) != nullptr;
    case WorkerCategory::kPlanning: return dynamic_cast<PlanningWorker*>(&w) != nullptr;
    case WorkerCategory::kExecution: return dynamic_cast<ExecutionWorker*>(&w) != nullptr;
  }
  return false;
}

}  // namespace

std::unique_ptr<Worker> build_worker(const PluginRegistry& registry, const config::WorkerConfig& wc,
                                     WorkerCategory expected, const WorkerServices& services, BindContext& bind,
                                     const std::string& file) {
  const SourceLocation where = wc.origin.where.file.empty() ? SourceLocation{file, 0, 0} : wc.origin.where;
  const std::string& path = wc.origin.path;
  Diagnostics diags;
  auto fail = [&](std::string message) -> std::unique_ptr<Worker> {
    diags.add(where, path, std::move(message));
    throw Error(std::move(diags));
  };
  const Manifest* m = registry.find(wc.plugin);
  if (m == nullptr) {
    std::string msg = fmt::format("unknown plugin \"{}\"", wc.plugin);
    if (auto near = closest_match(wc.plugin, registry.names()); !near.empty())
      msg += fmt::format(" (did you mean \"{}\"?)", near);
    return fail(msg + "; `s1mpletrader plugins list` shows the available plugins");
  }
  if (m->category != expected)
    return fail(fmt::format("plugin \"{}\" is a {} worker, not a {} worker", m->name, to_string(m->category),
                            to_string(expected)));
  Params params = resolve_params(*m, wc, file, diags);
  if (!diags.empty()) throw Error(std::move(diags));

  WorkerFactory create = registry.factory(m->name);
  std::unique_ptr<Worker> w = create ? create() : nullptr;
  if (!w) return fail(fmt::format("plugin \"{}\" has no factory or its factory returned nothing", m->name));
  if (!is_category(*w, m->category))
    return fail(fmt::format("plugin \"{}\": its manifest says {} but its code does not derive from the {} base",
                            m->name, to_string(m->category), to_string(m->category)));

  const std::string id = wc.id.empty() ? m->name : wc.id;
  auto* stateful = dynamic_cast<Stateful*>(w.get());
  auto* aware = dynamic_cast<EventAware*>(w.get());
  auto* journaling = dynamic_cast<Journaling*>(w.get());
  const struct {
    bool code;
    unsigned bit;
    const char* name;
  } caps[] = {{stateful != nullptr, kCapStateful, "stateful"},
              {aware != nullptr, kCapEventAware, "event_aware"},
              {journaling != nullptr, kCapJournaling, "journaling"}};
  for (const auto& c : caps) {
    const bool declared = (m->capabilities & c.bit) != 0;
    if (c.code && !declared)
      diags.add(where, path,
                fmt::format("plugin \"{}\" implements the {} capability but its manifest does not declare it; "
                            "refused (add it to capabilities: in {})",
                            m->name, c.name, m->file));
    if (declared && !c.code)
      diags.add(where, path,
                fmt::format("plugin \"{}\" declares the {} capability but its code does not implement it", m->name,
                            c.name));
  }
  if (stateful && services.state == nullptr) diags.add(where, path, "no state persistor for a stateful worker");
  if (aware && services.events == nullptr) diags.add(where, path, "no event handler for an event-aware worker");
  if (journaling && services.journal == nullptr) diags.add(where, path, "no journal writer for a journaling worker");
  if (!diags.empty()) throw Error(std::move(diags));

  WorkerAccess::set(*w, WorkerInfo{m->name, id, m->category, m->subtype}, std::move(params));
  if (stateful) {
    const std::string key = services.state_key_prefix + id;
    WorkerAccess::inject(*stateful, services.state, key);
    if (auto saved = services.state->load(key)) {
      WorkerAccess::restore(*stateful, std::move(*saved));
      stateful->on_state_restored();
    }
  }
  if (aware) WorkerAccess::inject(*aware, services.events, id);
  if (journaling) WorkerAccess::inject(*journaling, services.journal, id);
  try {
    w->bind(bind);
  } catch (const Error& e) {
    return fail(fmt::format("worker \"{}\" (plugin {}): {}", id, m->name, e.what()));
  } catch (const std::exception& e) {
    return fail(fmt::format("worker \"{}\" (plugin {}): {}", id, m->name, e.what()));
  }
  return w;
}

}  // namespace st
