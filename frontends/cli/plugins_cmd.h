// `s1mpletrader plugins list|show`: what the registry holds, for people and for scripts.
#pragma once

#include <ostream>
#include <string>

#include "backend/registry/registry.h"

namespace st {

int plugins_list(const PluginRegistry& registry, bool json, std::ostream& out);
// Exit 0, or 2 with "unknown plugin" (and a did-you-mean) on `err`.
int plugins_show(const PluginRegistry& registry, const std::string& name, bool json, std::ostream& out,
                 std::ostream& err);

}  // namespace st
