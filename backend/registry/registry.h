// PluginRegistry: every plugin the platform can build, with its manifest and its factory.
//
// Built-in plugins come from the binary itself (ST_REGISTER_PLUGIN + the manifest text embedded
// at build time). User plugins come from extra directories (platform.yaml plugin_dirs): each
// folder holds a manifest.yaml whose `library:` names a shared library exporting
// st_plugin_entry (ST_EXPORT_PLUGIN). A library built against another plugin API major version,
// or by another compiler ABI, is refused by name before any of its code runs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/api/plugin.h"
#include "backend/registry/manifest.h"

namespace st {

class PluginRegistry final : public PluginCatalog {
 public:
  PluginRegistry() = default;
  PluginRegistry(PluginRegistry&&) = default;
  PluginRegistry& operator=(PluginRegistry&&) = default;

  // Loads the built-in plugins and those in `extra_dirs`; every problem (bad manifest, missing
  // library, version or ABI mismatch, duplicate name) goes to `diags`, and the plugins that are
  // fine are still available.
  static PluginRegistry load(const std::vector<std::string>& extra_dirs, Diagnostics& diags);

  const Manifest* find(std::string_view name) const override;
  std::vector<std::string> names() const override;
  // nullptr when unknown.
  WorkerFactory factory(std::string_view name) const;
  // Every manifest, sorted by name.
  std::vector<const Manifest*> all() const;
  std::size_t size() const { return plugins_.size(); }

 private:
  struct Entry {
    Manifest manifest;
    WorkerFactory create = nullptr;
  };
  void add(Entry entry, Diagnostics& diags);
  void load_dir(const std::string& dir, Diagnostics& diags);
  void load_user_plugin(const std::string& manifest_path, Diagnostics& diags);

  std::map<std::string, Entry, std::less<>> plugins_;
};

}  // namespace st
