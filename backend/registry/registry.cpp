#include "backend/registry/registry.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "backend/yaml/reader.h"

namespace st {
namespace fs = std::filesystem;

void PluginRegistry::add(Entry entry, Diagnostics& diags) {
  auto it = plugins_.find(entry.manifest.name);
  if (it != plugins_.end()) {
    diags.add({entry.manifest.file, 1, 1}, "name",
              fmt::format("plugin \"{}\" is already defined by {}", entry.manifest.name, it->second.manifest.file));
    return;
  }
  std::string name = entry.manifest.name;
  plugins_.emplace(std::move(name), std::move(entry));
}

PluginRegistry PluginRegistry::load(const std::vector<std::string>& extra_dirs, Diagnostics& diags) {
  PluginRegistry reg;
  const auto factories = builtin_factories();
  std::vector<std::string> with_manifest;
  for (const auto& bm : builtin_manifests()) {
    auto doc = yaml::load_string(bm.text, bm.file, diags);
    if (!doc) continue;
    auto manifest = parse_manifest(*doc, diags);
    if (!manifest) continue;
    manifest->builtin = true;
    with_manifest.push_back(manifest->name);
    auto f = std::find_if(factories.begin(), factories.end(),
                          [&](const BuiltinFactory& b) { return manifest->name == b.name; });
    if (f == factories.end()) {
      diags.add({bm.file, 1, 1}, "name",
                fmt::format("built-in plugin \"{}\" has a manifest but no code registered under that name "
                            "(ST_REGISTER_PLUGIN(\"{}\", ...) in its .cpp)",
                            manifest->name, manifest->name));
      continue;
    }
    reg.add({std::move(*manifest), f->create}, diags);
  }
  for (const auto& f : factories)
    if (std::find(with_manifest.begin(), with_manifest.end(), f.name) == with_manifest.end() &&
        !reg.plugins_.count(f.name))
      diags.add({}, "", fmt::format("built-in plugin code \"{}\" has no manifest.yaml", f.name));
  for (const auto& dir : extra_dirs) reg.load_dir(dir, diags);
  return reg;
}

void PluginRegistry::load_dir(const std::string& dir, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.add({dir, 0, 0}, "", "plugin directory does not exist (platform.yaml plugin_dirs)");
    return;
  }
  if (fs::exists(fs::path(dir) / "manifest.yaml")) {
    load_user_plugin((fs::path(dir) / "manifest.yaml").string(), diags);
    return;
  }
  std::vector<fs::path> manifests;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory() && fs::exists(e.path() / "manifest.yaml")) manifests.push_back(e.path() / "manifest.yaml");
  std::sort(manifests.begin(), manifests.end());
  for (const auto& m : manifests) load_user_plugin(m.string(), diags);
}

void PluginRegistry::load_user_plugin(const std::string& manifest_path, Diagnostics& diags) {
  auto doc = yaml::load_file(manifest_path, diags);
  if (!doc) return;
  auto manifest = parse_manifest(*doc, diags);
  if (!manifest) return;
  const SourceLocation at{manifest_path, 1, 1};
  if (manifest->library.empty()) {
    diags.add(at, "library", "a user plugin's manifest must name its shared library (library: libname.so)");
    return;
  }
  const std::string lib = (fs::path(manifest_path).parent_path() / manifest->library).string();
  // RTLD_LOCAL: two plugins may use the same helper names. The library resolves the plugin API
  // against the executable, which exports it.
  void* handle = ::dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    diags.add(at, "library", fmt::format("cannot load {}: {}", lib, ::dlerror()));
    return;
  }
  using Entry = const PluginDescriptor* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, "st_plugin_entry"));
  if (entry == nullptr) {
    diags.add(at, "library",
              fmt::format("{} does not export st_plugin_entry (use ST_EXPORT_PLUGIN(\"{}\", YourClass))", lib,
                          manifest->name));
    ::dlclose(handle);
    return;
  }
  const PluginDescriptor* d = entry();
  if (d == nullptr || d->api_version_major != kApiVersionMajor || d->api_version_minor > kApiVersionMinor) {
    diags.add(at, "library",
              fmt::format("{} was built against plugin API {}.{}, this platform provides {}.{}; rebuild the plugin "
                          "against this version's headers",
                          lib, d ? d->api_version_major : -1, d ? d->api_version_minor : -1, kApiVersionMajor,
                          kApiVersionMinor));
    ::dlclose(handle);
    return;
  }
  if (d->abi_tag == nullptr || std::strcmp(d->abi_tag, kAbiTag) != 0) {
    diags.add(at, "library",
              fmt::format("{} was built with compiler ABI \"{}\", this platform uses \"{}\"; rebuild the plugin "
                          "with the same compiler",
                          lib, d->abi_tag ? d->abi_tag : "?", kAbiTag));
    ::dlclose(handle);
    return;
  }
  if (d->name == nullptr || manifest->name != d->name) {
    diags.add(at, "name",
              fmt::format("manifest names plugin \"{}\" but {} exports \"{}\"", manifest->name, lib,
                          d->name ? d->name : "?"));
    ::dlclose(handle);
    return;
  }
  // The handle stays open for the life of the process: workers and their vtables live in it.
  add({std::move(*manifest), d->create}, diags);
}

const Manifest* PluginRegistry::find(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : &it->second.manifest;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : plugins_) out.push_back(name);
  return out;
}

WorkerFactory PluginRegistry::factory(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : it->second.create;
}

std::vector<const Manifest*> PluginRegistry::all() const {
  std::vector<const Manifest*> out;
  for (const auto& [name, e] : plugins_) out.push_back(&e.manifest);
  return out;
}

}  // namespace st
