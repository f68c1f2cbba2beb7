#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class EmergencyExit final : public ExecutionWorker {
 public:
  void bind(BindContext&) override;
  void on_threat(const CriticalEvent& threat, ExecutionContext& ctx) override;

 private:
  Severity min_ = Severity::kHigh;
};

}  // namespace st::plugins
