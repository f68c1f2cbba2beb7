#include "backend/yaml/reader.h"

#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "backend/core/atomic_file.h"

namespace st::yaml {
namespace {

void check_duplicates(const std::string& file, const YAML::Node& node, const std::string& path,
                      Diagnostics& diags, int depth) {
  if (depth > 256) return;  // yaml-cpp guards deeper nesting itself
  if (node.IsMap()) {
    std::unordered_map<std::string, int> first_line;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string key = it->first.Scalar();
      const int line = it->first.Mark().line + 1;
      auto [pos, inserted] = first_line.emplace(key, line);
      if (!inserted) {
        diags.add(location_of(file, it->first), join_path(path, key),
                  "duplicate key \"" + key + "\" (first defined at line " +
                      std::to_string(pos->second) + "); each key may appear once");
      }
      check_duplicates(file, it->second, join_path(path, key), diags, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_duplicates(file, node[i], index_path(path, i), diags, depth + 1);
  }
}

bool is_plain_integer(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

SourceLocation location_of(const std::string& file, const YAML::Node& node) {
  SourceLocation loc{file, 0, 0};
  if (node.IsDefined()) {
    const auto mark = node.Mark();
    if (mark.line >= 0) {
      loc.line = mark.line + 1;
      loc.column = mark.column + 1;
    }
  }
  return loc;
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  switch (node.Type()) {
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: {
      std::string s = node.Scalar();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return "\"" + s + "\"";
    }
    default: return "nothing";
  }
}

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::optional<Document> load_string(std::string_view text, const std::string& file,
                                    Diagnostics& diags) {
  Document doc{file, {}};
  try {
    doc.root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourceLocation loc{file, 0, 0};
    if (e.mark.line >= 0) {
      loc.line = e.mark.line + 1;
      loc.column = e.mark.column + 1;
    }
    diags.add(loc, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const std::exception& e) {
    diags.add({file, 0, 0}, "", std::string("YAML syntax error: ") + e.what());
    return std::nullopt;
  }
  check_duplicates(file, doc.root, "", diags, 0);
  return doc;
}

std::optional<Document> load_file(const std::string& path, Diagnostics& diags) {
  std::string text, why;
  if (!read_file(path, text, why)) {
    diags.add({path, 0, 0}, "", "cannot read file: " + why);
    return std::nullopt;
  }
  return load_string(text, path, diags);
}

void Reader::error(const YAML::Node& at, const std::string& path, std::string message) {
  diags_->add(location_of(file_, at), path, std::move(message));
}

void Reader::error_at(SourceLocation where, const std::string& path, std::string message) {
  diags_->add(std::move(where), path, std::move(message));
}

bool read(Reader& r, const YAML::Node& n, const std::string& path, std::string& out) {
  if (!n.IsScalar()) {
    r.error(n, path, "expected a string, found " + describe(n));
    return false;
  }
  out = n.Scalar();
  return true;
}

bool read(Reader& r, const YAML::Node& n, const std::string& path, bool& out) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return out = true, true;
    if (s == "false") return out = false, true;
  }
  r.error(n, path, "expected a boolean (true or false), found " + describe(n));
  return false;
}

bool read(Reader& r, const YAML::Node& n, const std::string& path, std::int64_t& out) {
  if (n.IsScalar() && is_plain_integer(n.Scalar())) {
    const std::string& s = n.Scalar();
    const char* b = s.data() + (s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return true;
    r.error(n, path, "integer out of range, found " + describe(n));
    return false;
  }
  r.error(n, path, "expected an integer, found " + describe(n));
  return false;
}

bool read(Reader& r, const YAML::Node& n, const std::string& path, int& out) {
  std::int64_t v = 0;
  if (!read(r, n, path, v)) return false;
  if (v < INT32_MIN || v > INT32_MAX) {
    r.error(n, path, "integer out of range, found " + describe(n));
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

bool read(Reader& r, const YAML::Node& n, const std::string& path, double& out) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    const char* b = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) {
      if (std::isfinite(out)) return true;
      r.error(n, path, "expected a finite number, found " + describe(n));
      return false;
    }
  }
  r.error(n, path, "expected a number, found " + describe(n));
  return false;
}

bool check_range(Reader& r, const YAML::Node& n, const std::string& path, double value, double lo,
                 double hi) {
  if (value >= lo && value <= hi) return true;
  std::ostringstream msg;
  msg << "must be in [" << lo << ", " << hi << "], was " << value;
  r.error(n, path, msg.str());
  return false;
}

MapView::MapView(Reader& r, const YAML::Node& node, std::string path, bool allow_null)
    : r_(&r), node_(node), path_(std::move(path)) {
  if (node.IsMap()) {
    ok_ = true;
  } else if (allow_null && (!node.IsDefined() || node.IsNull())) {
    ok_ = true;
    node_ = YAML::Node(YAML::NodeType::Map);
  } else {
    r.error(node, path_, "expected a mapping, found " + describe(node));
  }
}

YAML::Node MapView::node(std::string_view key) {
  known_.emplace_back(key);
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = node_.begin(); it != node_.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return YAML::Node(YAML::NodeType::Undefined);
}

bool MapView::has(std::string_view key) {
  return node(key).IsDefined();
}

void MapView::missing(std::string_view key) {
  r_->error(node_, child_path(key), "missing required key \"" + std::string(key) + "\"" +
                                        (path_.empty() ? "" : " in " + path_));
}

void MapView::finish() {
  if (!ok_) return;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) {
      r_->error(it->first, path_, "keys must be plain strings, found " + describe(it->first));
      continue;
    }
    const std::string& key = it->first.Scalar();
    bool is_known = false;
    for (const auto& k : known_) is_known = is_known || k == key;
    if (is_known) continue;
    std::string msg = "unknown key \"" + key + "\"";
    if (auto near = closest_match(key, known_); !near.empty()) msg += " (did you mean \"" + near + "\"?)";
    std::string valid;
    for (const auto& k : known_) {
      if (valid.find("\"" + k + "\"") != std::string::npos) continue;
      valid += valid.empty() ? "" : ", ";
      valid += "\"" + k + "\"";
    }
    if (!valid.empty()) msg += "; expected one of " + valid;
    r_->error(it->first, child_path(key), std::move(msg));
  }
}

std::vector<std::pair<std::string, YAML::Node>> MapView::entries() const {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (!ok_) return out;
  for (auto it = node_.begin(); it != node_.end(); ++it)
    if (it->first.IsScalar()) out.emplace_back(it->first.Scalar(), it->second);
  return out;
}

std::string apply_override(YAML::Node& root, std::string_view path, std::string_view value) {
  if (path.empty()) return "empty key path";
  YAML::Node parsed;
  try {
    parsed = YAML::Load(std::string(value));
  } catch (const YAML::Exception& e) {
    return "value \"" + std::string(value) + "\" is not valid YAML: " + e.msg;
  }
  YAML::Node cur;
  cur.reset(root);
  std::size_t i = 0;
  std::string walked;
  while (i < path.size()) {
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    std::string key(path.substr(i, end - i));
    if (key.empty()) return "malformed key path \"" + std::string(path) + "\"";
    if (!cur.IsMap() && !cur.IsNull() && cur.IsDefined())
      return "\"" + walked + "\" is not a mapping";
    walked = join_path(walked, key);
    YAML::Node next = cur[key];
    i = end;
    std::vector<std::size_t> indices;
    while (i < path.size() && path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) return "malformed key path \"" + std::string(path) + "\"";
      std::size_t idx = 0;
      auto sv = path.substr(i + 1, close - i - 1);
      auto [p, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), idx);
      if (ec != std::errc() || p != sv.data() + sv.size())
        return "malformed index in key path \"" + std::string(path) + "\"";
      indices.push_back(idx);
      i = close + 1;
    }
    bool last = i >= path.size();
    if (!indices.empty()) {
      YAML::Node seq;
      seq.reset(next);
      for (std::size_t k = 0; k < indices.size(); ++k) {
        if (!seq.IsSequence() || indices[k] >= seq.size())
          return "\"" + walked + "\" has no element [" + std::to_string(indices[k]) + "]";
        walked = index_path(walked, indices[k]);
        YAML::Node elem = seq[indices[k]];
        if (last && k + 1 == indices.size()) {
          seq[indices[k]] = parsed;
          return "";
        }
        seq.reset(elem);
      }
      cur.reset(seq);
    } else if (last) {
      cur[key] = parsed;
      return "";
    } else {
      if (!next.IsDefined() || next.IsNull()) cur[key] = YAML::Node(YAML::NodeType::Map);
      cur.reset(cur[key]);
    }
    if (i < path.size()) {
      if (path[i] != '.') return "malformed key path \"" + std::string(path) + "\"";
      ++i;
    }
  }
  return "";
}

}  // namespace st::yaml
