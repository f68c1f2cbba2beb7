#include "backend/api/params.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"

namespace st {

const ParamValue& Params::at(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw Error(fmt::format("parameter \"{}\" is not set", name));
  return it->second;
}

std::int64_t Params::get_int(std::string_view name) const {
  const auto& v = at(name);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  throw Error(fmt::format("parameter \"{}\" is not an integer", name));
}

double Params::get_double(std::string_view name) const {
  const auto& v = at(name);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  throw Error(fmt::format("parameter \"{}\" is not a number", name));
}

bool Params::get_bool(std::string_view name) const {
  const auto& v = at(name);
  if (auto p = std::get_if<bool>(&v)) return *p;
  throw Error(fmt::format("parameter \"{}\" is not a boolean", name));
}

const std::string& Params::get_string(std::string_view name) const {
  const auto& v = at(name);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  throw Error(fmt::format("parameter \"{}\" is not a string", name));
}

const std::vector<std::string>& Params::get_list(std::string_view name) const {
  const auto& v = at(name);
  if (auto p = std::get_if<std::vector<std::string>>(&v)) return *p;
  throw Error(fmt::format("parameter \"{}\" is not a list of strings", name));
}

std::string to_string(const ParamValue& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& l) const {
      return "[" + fmt::format("{}", fmt::join(l, ", ")) + "]";
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace st
