// Strict YAML reading with precise diagnostics (on top of yaml-cpp 0.7).
//
// yaml-cpp gives us marks (0-based line/column) but no key paths, no expected types, accepts
// duplicate keys silently and reports missing keys without a position. This module adds all of
// that. Every error becomes a st::Diagnostic "file:line:col: key.path: message"; nothing throws.
//
// Usage:
//   Diagnostics diags;
//   auto doc = yaml::load_file("config/platform.yaml", diags);    // syntax + duplicate keys
//   yaml::Reader r(doc->file, diags);
//   yaml::MapView m(r, doc->root, "");
//   m.required("data_dir", cfg.data_dir);
//   m.optional("threads", cfg.threads); yaml::check_range(r, m.node("threads"), "threads", cfg.threads, 0, 256);
//   m.finish();                                                   // unknown keys, with "did you mean"
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/core/diagnostics.h"

namespace st::yaml {

struct Document {
  std::string file;  // name used in diagnostics
  YAML::Node root;
};

// Parses a file; on a syntax error reports it and returns nullopt. Duplicate keys anywhere in
// the document are reported (the document is still returned so that other checks can run).
std::optional<Document> load_file(const std::string& path, Diagnostics& diags);
std::optional<Document> load_string(std::string_view text, const std::string& file,
                                    Diagnostics& diags);

SourceLocation location_of(const std::string& file, const YAML::Node& node);
// "a mapping", "a sequence", "null", or the scalar in quotes.
std::string describe(const YAML::Node& node);
std::string join_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t index);

// Per-file context: the file name and where diagnostics go.
class Reader {
 public:
  Reader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(&diags) {}
  void error(const YAML::Node& at, const std::string& path, std::string message);
  void error_at(SourceLocation where, const std::string& path, std::string message);
  const std::string& file() const { return file_; }
  Diagnostics& diagnostics() { return *diags_; }

 private:
  std::string file_;
  Diagnostics* diags_;
};

// Strict scalar conversions. Each reports "expected X, found Y" and returns false on mismatch.
bool read(Reader& r, const YAML::Node& n, const std::string& path, std::string& out);
bool read(Reader& r, const YAML::Node& n, const std::string& path, bool& out);
bool read(Reader& r, const YAML::Node& n, const std::string& path, std::int64_t& out);
bool read(Reader& r, const YAML::Node& n, const std::string& path, int& out);
bool read(Reader& r, const YAML::Node& n, const std::string& path, double& out);
template <class T>
bool read(Reader& r, const YAML::Node& n, const std::string& path, std::vector<T>& out);
template <class T>
bool read(Reader& r, const YAML::Node& n, const std::string& path, std::optional<T>& out) {
  T v{};
  if (!read(r, n, path, v)) return false;
  out = std::move(v);
  return true;
}

// Enumerations: a table of (spelling, value). Error lists the valid spellings.
template <class E>
using EnumTable = std::vector<std::pair<std::string, E>>;
template <class E>
bool read_enum(Reader& r, const YAML::Node& n, const std::string& path, E& out,
               const EnumTable<E>& table);

// Range checks on already-read values; `n` gives the position. Inclusive bounds.
bool check_range(Reader& r, const YAML::Node& n, const std::string& path, double value, double lo,
                 double hi);

// A view of one mapping node that tracks which keys were consumed.
class MapView {
 public:
  // Reports "expected a mapping, found ..." when `node` is not a map (an undefined/null node is
  // an empty map when `allow_null` is set).
  MapView(Reader& r, const YAML::Node& node, std::string path, bool allow_null = false);

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  Reader& reader() { return *r_; }

  // The child node (undefined if absent); marks the key as known.
  YAML::Node node(std::string_view key);
  bool has(std::string_view key);
  std::string child_path(std::string_view key) const { return join_path(path_, key); }

  // Required: a missing key is reported at this map's position ("missing required key 'k'").
  template <class T>
  bool required(std::string_view key, T& out) {
    YAML::Node n = node(key);
    if (!n.IsDefined()) {
      missing(key);
      return false;
    }
    return read(*r_, n, child_path(key), out);
  }
  // Optional: absent leaves `out` as is (its default).
  template <class T>
  bool optional(std::string_view key, T& out) {
    YAML::Node n = node(key);
    if (!n.IsDefined()) return true;
    return read(*r_, n, child_path(key), out);
  }
  template <class E>
  bool required_enum(std::string_view key, E& out, const EnumTable<E>& table) {
    YAML::Node n = node(key);
    if (!n.IsDefined()) {
      missing(key);
      return false;
    }
    return read_enum(*r_, n, child_path(key), out, table);
  }
  template <class E>
  bool optional_enum(std::string_view key, E& out, const EnumTable<E>& table) {
    YAML::Node n = node(key);
    if (!n.IsDefined()) return true;
    return read_enum(*r_, n, child_path(key), out, table);
  }
  // Declares a key as valid without reading it.
  void known(std::string_view key) { known_.emplace_back(key); }
  void missing(std::string_view key);
  // Reports every key that no accessor asked for, with a "did you mean" for near misses.
  void finish();

  // Keys in document order with their nodes (for maps whose keys are user names).
  std::vector<std::pair<std::string, YAML::Node>> entries() const;

 private:
  Reader* r_;
  YAML::Node node_;
  std::string path_;
  bool ok_ = false;
  std::vector<std::string> known_;
};

// Overrides of the form KEY.PATH=VALUE (CLI --set). The path is dotted with [i] indices, e.g.
// "workforce.context[0].params.period"; VALUE is parsed as YAML (so 30, true, [1, 2] work).
// Creates missing map keys; an index must exist. Returns an error message, or "" on success.
std::string apply_override(YAML::Node& root, std::string_view path, std::string_view value);

// ---- template implementations ----
template <class T>
bool read(Reader& r, const YAML::Node& n, const std::string& path, std::vector<T>& out) {
  if (!n.IsSequence()) {
    r.error(n, path, "expected a sequence, found " + describe(n));
    return false;
  }
  out.clear();
  bool ok = true;
  for (std::size_t i = 0; i < n.size(); ++i) {
    T v{};
    if (read(r, n[i], index_path(path, i), v))
      out.push_back(std::move(v));
    else
      ok = false;
  }
  return ok;
}

template <class E>
bool read_enum(Reader& r, const YAML::Node& n, const std::string& path, E& out,
               const EnumTable<E>& table) {
  std::string text;
  if (!read(r, n, path, text)) return false;
  for (const auto& [name, value] : table) {
    if (name == text) {
      out = value;
      return true;
    }
  }
  std::string list;
  std::vector<std::string> names;
  for (const auto& [name, value] : table) {
    if (!list.empty()) list += ", ";
    list += name;
    names.push_back(name);
  }
  std::string msg = "\"" + text + "\" is not one of " + list;
  if (auto near = closest_match(text, names); !near.empty()) msg += " (did you mean \"" + near + "\"?)";
  r.error(n, path, std::move(msg));
  return false;
}

}  // namespace st::yaml
