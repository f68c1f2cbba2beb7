// How a plugin's code is found.
//
// Built-in plugins register a factory with ST_REGISTER_PLUGIN(name, Class) in their .cpp; the
// platform links them in and pairs each with the manifest.yaml of its folder (embedded at build
// time).
//
// User plugins are shared libraries built against this API, out of the source tree. Each exports
// one C function, st_plugin_entry, returning a PluginDescriptor. The loader checks the API
// version and the compiler ABI before it calls anything else, and refuses a mismatch by name.
#pragma once

#include <memory>
#include <span>

#include "backend/api/version.h"
#include "backend/api/worker.h"

namespace st {

using WorkerFactory = std::unique_ptr<Worker> (*)();

struct PluginDescriptor {
  int api_version_major;   // must equal kApiVersionMajor of the platform
  int api_version_minor;   // must be <= the platform's kApiVersionMinor
  const char* abi_tag;     // kAbiTag of the compiler/standard library it was built with
  const char* name;        // must equal the manifest's name
  WorkerFactory create;
};

// Built-in registration (one static object per plugin).
struct BuiltinPluginRegistration {
  BuiltinPluginRegistration(const char* name, WorkerFactory factory);
};
// The built-in factories registered so far, in registration order.
struct BuiltinFactory {
  const char* name;
  WorkerFactory create;
};
std::span<const BuiltinFactory> builtin_factories();

// The manifest.yaml text of each built-in plugin, embedded at build time (plugins/CMakeLists.txt
// generates one registration per plugin folder), so the binary needs no source tree.
struct BuiltinManifest {
  const char* name;  // plugin folder name
  const char* file;  // "plugins/<name>/manifest.yaml" (for diagnostics)
  const char* text;
};
struct BuiltinManifestRegistration {
  BuiltinManifestRegistration(const char* name, const char* file, const char* text);
};
std::span<const BuiltinManifest> builtin_manifests();

}  // namespace st

#define ST_REGISTER_PLUGIN(NAME, CLASS)                                                        \
  static ::st::BuiltinPluginRegistration st_builtin_registration_##CLASS(                      \
      NAME, []() -> std::unique_ptr<::st::Worker> { return std::make_unique<CLASS>(); })

// For shared-library plugins: defines st_plugin_entry.
#define ST_EXPORT_PLUGIN(NAME, CLASS)                                                          \
  extern "C" __attribute__((visibility("default"))) const ::st::PluginDescriptor*              \
  st_plugin_entry() {                                                                          \
    static const ::st::PluginDescriptor descriptor{                                            \
        ::st::kApiVersionMajor, ::st::kApiVersionMinor, ::st::kAbiTag, NAME,                   \
        []() -> std::unique_ptr<::st::Worker> { return std::make_unique<CLASS>(); }};          \
    return &descriptor;                                                                        \
  }
