#include "backend/api/context.h"

#include <fmt/format.h>

#include <bit>

#include "backend/core/diagnostics.h"

namespace st {

ContextSchema::ContextSchema() {
  for (const char* base : {"open", "high", "low", "close", "volume"}) {
    names_.emplace_back(base);
    owners_.emplace_back("market data");
  }
}

ColumnId ContextSchema::add_column(std::string name, std::string owner) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name)
      throw Error(fmt::format("column \"{}\" is already defined by {}", name, owners_[i]));
  }
  names_.push_back(std::move(name));
  owners_.push_back(std::move(owner));
  return static_cast<ColumnId>(names_.size() - 1);
}

ColumnId ContextSchema::require(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<ColumnId>(i);
  std::string msg = fmt::format("unknown context column \"{}\"", name);
  if (auto near = closest_match(name, names_); !near.empty())
    msg += fmt::format(" (did you mean \"{}\"?)", near);
  msg += fmt::format("; available: {} (a context worker earlier in the blueprint must produce it)",
                     fmt::join(names_, ", "));
  throw Error(msg);
}

bool ContextSchema::has(std::string_view name) const {
  for (const auto& n : names_)
    if (n == name) return true;
  return false;
}

void ContextSchema::require_history(std::size_t bars) {
  if (bars > (1u << 20)) throw Error(fmt::format("history of {} bars is more than 1048576", bars));
  history_ = std::max(history_, bars);
}

TradingContext::TradingContext(const ContextSchema& schema, InstrumentInfo instrument)
    : instrument_(std::move(instrument)), n_columns_(schema.names().size()) {
  const std::size_t depth = std::bit_ceil(std::max<std::size_t>(schema.history(), 2));
  mask_ = depth - 1;
  const std::size_t stride = std::bit_ceil(std::max(n_columns_, kMinStride));
  shift_ = static_cast<std::size_t>(std::countr_zero(stride));
  data_.assign(stride * depth, kNaN);
}

ContextBlock::ContextBlock(const ContextSchema& schema, std::size_t capacity)
    : schema_(&schema), capacity_(capacity), slot_(schema.names().size(), -1) {
  const std::size_t enrichment = schema.names().size() - columns::kFirstEnrichment;
  values_.assign(enrichment * capacity, TradingContext::kNaN);  // never grows: spans stay valid
}

ContextBlock::Column ContextBlock::input(ColumnId c) const {
  if (c < columns::kFirstEnrichment) {
    if (bars_.empty()) return {};
    static_assert(sizeof(Bar) % sizeof(double) == 0);
    const double* const first = &bars_.front().open + (c - columns::kOpen);
    return {first, sizeof(Bar) / sizeof(double)};
  }
  if (c >= slot_.size() || slot_[c] < 0) return {};
  return {values_.data() + static_cast<std::size_t>(slot_[c]) * capacity_, 1};
}

std::span<double> ContextBlock::output(ColumnId c) {
  const auto worker = [&] { return worker_ != nullptr ? std::string_view(*worker_) : std::string_view("?"); };
  if (c >= slot_.size())
    throw Error(fmt::format("process_block of worker \"{}\" writes column {}, which does not exist ({} columns)",
                            worker(), c, slot_.size()));
  const std::string& owner = schema_->owner(c);
  if (c < columns::kFirstEnrichment || worker_ == nullptr || owner != *worker_)
    throw Error(fmt::format("process_block of worker \"{}\" writes column \"{}\", which {} declared",
                            worker(), schema_->names()[c], owner));
  if (slot_[c] < 0) {
    slot_[c] = slots_used_++;
    fresh_.push_back(c);
  }
  return {values_.data() + static_cast<std::size_t>(slot_[c]) * capacity_, bars_.size()};
}

void ContextBlock::roll_back() {
  for (const ColumnId c : fresh_) slot_[c] = -1;
  slots_used_ -= static_cast<int>(fresh_.size());
  fresh_.clear();
}

const double* ContextBlock::values(ColumnId c) const {
  if (c < columns::kFirstEnrichment || c >= slot_.size() || slot_[c] < 0) return nullptr;
  return values_.data() + static_cast<std::size_t>(slot_[c]) * capacity_;
}

}  // namespace st
