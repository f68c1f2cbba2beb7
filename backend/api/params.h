// Plugin parameters: values from the blueprint, validated against the manifest's schema, with
// the manifest's defaults filled in before a worker sees them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace st {

using ParamValue = std::variant<bool, std::int64_t, double, std::string, std::vector<std::string>>;

class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, ParamValue, std::less<>> values) : values_(std::move(values)) {}

  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  // Typed access. The builder validated types already; a wrong access throws st::Error naming
  // the parameter (a plugin bug, reported at build time, never per bar).
  std::int64_t get_int(std::string_view name) const;
  double get_double(std::string_view name) const;  // also accepts integers
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;
  const std::vector<std::string>& get_list(std::string_view name) const;
  const std::map<std::string, ParamValue, std::less<>>& all() const { return values_; }
  void set(std::string name, ParamValue v) { values_[std::move(name)] = std::move(v); }

 private:
  const ParamValue& at(std::string_view name) const;
  std::map<std::string, ParamValue, std::less<>> values_;
};

// Text of a value as it would appear in YAML (for journals and messages).
std::string to_string(const ParamValue& v);

}  // namespace st
