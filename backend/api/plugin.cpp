#include "backend/api/plugin.h"

#include <vector>

namespace st {
namespace {
std::vector<BuiltinFactory>& registry() {
  static std::vector<BuiltinFactory> factories;
  return factories;
}
}  // namespace

BuiltinPluginRegistration::BuiltinPluginRegistration(const char* name, WorkerFactory factory) {
  registry().push_back({name, factory});
}

std::span<const BuiltinFactory> builtin_factories() { return registry(); }

}  // namespace st
