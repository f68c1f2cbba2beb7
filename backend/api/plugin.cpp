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

namespace {
std::vector<BuiltinManifest>& manifests() {
  static std::vector<BuiltinManifest> all;
  return all;
}
}  // namespace

BuiltinManifestRegistration::BuiltinManifestRegistration(const char* name, const char* file, const char* text) {
  manifests().push_back({name, file, text});
}

std::span<const BuiltinManifest> builtin_manifests() { return manifests(); }

}  // namespace st
