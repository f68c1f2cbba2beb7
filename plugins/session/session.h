#pragma once
#include <string>
#include <vector>

#include "backend/api/worker.h"

namespace st::plugins {

class Session final : public ContextWorker {
 public:
  struct Window {
    std::string name;
    int start = 0, end = 0;  // minutes of the UTC day; end exclusive; start > end wraps midnight
    bool contains(int minute) const {
      return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
    }
  };
  // "london@07:00-16:00"; throws st::Error naming the text.
  static Window parse_window(const std::string& text);

  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  std::vector<Window> sessions_, killzones_;
  ColumnId output_ = 0, killzone_ = 0;
  bool has_killzone_ = false;
};

}  // namespace st::plugins
