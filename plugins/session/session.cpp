#include "plugins/session/session.h"

#include <fmt/format.h>

#include <regex>

#include "backend/api/plugin.h"
#include "backend/core/diagnostics.h"

namespace st::plugins {

Session::Window Session::parse_window(const std::string& text) {
  static const std::regex re(R"(([A-Za-z0-9_]+)@([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, re))
    throw Error(fmt::format("\"{}\" is not a window; expected name@HH:MM-HH:MM like london@07:00-16:00", text));
  const int h1 = std::stoi(m[2]), m1 = std::stoi(m[3]), h2 = std::stoi(m[4]), m2 = std::stoi(m[5]);
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || (h1 == 24 && m1 > 0) || (h2 == 24 && m2 > 0))
    throw Error(fmt::format("\"{}\": hours must be 00-24 and minutes 00-59", text));
  Window w{m[1], h1 * 60 + m1, h2 * 60 + m2};
  if (w.start == w.end) throw Error(fmt::format("\"{}\": an empty window", text));
  return w;
}

void Session::bind(BindContext& ctx) {
  for (const auto& s : params().get_list("sessions")) sessions_.push_back(parse_window(s));
  for (const auto& s : params().get_list("killzones")) killzones_.push_back(parse_window(s));
  if (sessions_.size() > 52) throw Error("at most 52 sessions (the mask must stay exact in a double)");
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
  has_killzone_ = !params().get_string("killzone_output").empty();
  if (has_killzone_) killzone_ = ctx.schema().add_column(params().get_string("killzone_output"), info().id);
}

void Session::process(TradingContext& ctx) {
  const std::int64_t s = ctx.time().seconds();
  const int minute = static_cast<int>(((s % 86400) + 86400) % 86400 / 60);
  double mask = 0;
  for (std::size_t i = 0; i < sessions_.size(); ++i)
    if (sessions_[i].contains(minute)) mask += static_cast<double>(std::uint64_t{1} << i);
  ctx.set(output_, mask);
  if (has_killzone_) {
    bool in = false;
    for (const auto& k : killzones_) in = in || k.contains(minute);
    ctx.set(killzone_, in ? 1.0 : 0.0);
  }
}

ST_REGISTER_PLUGIN("session", Session);

}  // namespace st::plugins
